using System.Text.RegularExpressions;

namespace Aviary.Client.Workflows;

/// <summary>
/// Finds the files a Python, JavaScript or TypeScript file imports, resolved to files of the same
/// source tree. Imports of packages outside the tree are ignored: they are not tasks.
/// </summary>
public static partial class ImportScanner
{
    public static readonly string[] PythonExtensions = [".py"];
    public static readonly string[] ScriptExtensions = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs"];

    [GeneratedRegex(@"^\s*import\s+(?<mods>[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)", RegexOptions.Multiline)]
    private static partial Regex PythonImport();

    [GeneratedRegex(@"^[ \t]*from[ \t]+(?<mod>\.*[\w.]*)[ \t]+import[ \t]+(?:\((?<names>[^)]*)\)|(?<names>[\w \t,*]+))", RegexOptions.Multiline)]
    private static partial Regex PythonFrom();

    [GeneratedRegex(@"(?:\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+[\w*{}\s,$]*\s+from\s+|\brequire\s*\(\s*|\bimport\s*\(\s*)['""](?<spec>[^'""]+)['""]")]
    private static partial Regex ScriptImport();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"(^|[^:])//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"#.*$", RegexOptions.Multiline)]
    private static partial Regex HashComment();

    public static bool IsSource(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return PythonExtensions.Contains(ext) || ScriptExtensions.Contains(ext);
    }

    /// <summary>Files under <paramref name="root"/> that <paramref name="file"/> imports, as full paths.</summary>
    public static IEnumerable<string> Imports(string root, string file, string text)
    {
        var ext = Path.GetExtension(file).ToLowerInvariant();
        return PythonExtensions.Contains(ext) ? PythonImports(root, file, text) : ScriptImports(file, text);
    }

    private static IEnumerable<string> PythonImports(string root, string file, string text)
    {
        text = HashComment().Replace(text, "");
        foreach (Match m in PythonImport().Matches(text))
        {
            foreach (var part in m.Groups["mods"].Value.Split(','))
            {
                var module = part.Trim().Split(' ')[0];
                if (ResolvePythonModule(root, module) is { } resolved)
                    yield return resolved;
            }
        }
        foreach (Match m in PythonFrom().Matches(text))
        {
            var module = m.Groups["mod"].Value;
            var dots = module.TakeWhile(c => c == '.').Count();
            var baseDir = dots == 0 ? root : Ancestor(Path.GetDirectoryName(file)!, dots - 1);
            var name = module[dots..];
            // "from pkg import a, b" imports the submodules a and b when they are files of pkg,
            // and otherwise names of pkg itself (its module or __init__.py).
            var package = name.Length == 0 ? baseDir : Path.Combine(baseDir, name.Replace('.', Path.DirectorySeparatorChar));
            var namesPackage = false;
            foreach (var symbol in m.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var submodule = Path.Combine(package, symbol.Split(' ', '\t')[0] + ".py");
                if (File.Exists(submodule))
                    yield return Path.GetFullPath(submodule);
                else
                    namesPackage = true;
            }
            if (namesPackage && name.Length > 0 && ResolvePythonModule(baseDir, name) is { } target)
                yield return target;
        }
    }

    private static string? ResolvePythonModule(string baseDir, string module)
    {
        var relative = module.Replace('.', Path.DirectorySeparatorChar);
        var asFile = Path.Combine(baseDir, relative + ".py");
        if (File.Exists(asFile))
            return Path.GetFullPath(asFile);
        var asPackage = Path.Combine(baseDir, relative, "__init__.py");
        return File.Exists(asPackage) ? Path.GetFullPath(asPackage) : null;
    }

    private static IEnumerable<string> ScriptImports(string file, string text)
    {
        text = LineComment().Replace(BlockComment().Replace(text, ""), "$1");
        var dir = Path.GetDirectoryName(file)!;
        foreach (Match m in ScriptImport().Matches(text))
        {
            var spec = m.Groups["spec"].Value;
            if (!spec.StartsWith("./", StringComparison.Ordinal) && !spec.StartsWith("../", StringComparison.Ordinal))
                continue; // a package, not a file of this tree
            var target = Path.GetFullPath(Path.Combine(dir, spec));
            if (ResolveScript(target) is { } resolved)
                yield return resolved;
        }
    }

    private static string? ResolveScript(string target)
    {
        if (File.Exists(target) && IsSource(target))
            return target;
        // TypeScript compiled-extension imports: './x.js' means './x.ts'.
        var stem = ScriptExtensions.Contains(Path.GetExtension(target).ToLowerInvariant()) ? Path.ChangeExtension(target, null) : target;
        foreach (var ext in ScriptExtensions)
        {
            if (File.Exists(stem + ext))
                return stem + ext;
        }
        foreach (var ext in ScriptExtensions)
        {
            var index = Path.Combine(target, "index" + ext);
            if (File.Exists(index))
                return index;
        }
        return null;
    }

    private static string Ancestor(string dir, int levels)
    {
        for (var i = 0; i < levels; i++)
            dir = Path.GetDirectoryName(dir) ?? dir;
        return dir;
    }
}

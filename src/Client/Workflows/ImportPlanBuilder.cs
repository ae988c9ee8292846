using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Client.Workflows;

/// <summary>
/// Builds a plan from a source tree: one task per Python/JavaScript/TypeScript file, each
/// depending on the files it imports. Import cycles are reported and the edge that closes each
/// one is left out, so the plan is a DAG.
/// </summary>
public static class ImportPlanBuilder
{
    public sealed record Result(WorkflowPlan Plan, IReadOnlyList<string> Cycles, int SkippedFiles);

    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase)
    {
        "node_modules", ".git", "__pycache__", ".venv", "venv", "dist", "build", "bin", "obj",
    };

    public static Result Build(string folder)
    {
        if (!Directory.Exists(folder))
            throw new AviaryValidationException("folder", $"'{folder}' is not a directory");
        var root = Path.GetFullPath(folder);
        var files = Enumerate(root).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new AviaryValidationException("folder", $"'{folder}' holds no .py, .js, .jsx, .ts, .tsx, .mjs or .cjs file");

        var paths = files.ToDictionary(f => f, f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), StringComparer.Ordinal);
        var ids = TaskIds(files, paths);
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                skipped++;
                text = "";
            }
            edges[file] = ImportScanner.Imports(root, file, text)
                .Where(t => t != file && ids.ContainsKey(t))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        var cycles = BreakCycles(files, edges, ids);
        var tasks = files.Select(f => new TaskSpec
        {
            Id = ids[f],
            Agent = AgentKinds.SourceFile,
            Input = new Dictionary<string, string> { ["path"] = paths[f] },
            DependsOn = edges[f].Select(d => ids[d]).ToArray(),
        }).ToArray();
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = Path.GetFileName(root), Tasks = tasks });
        return new Result(plan, cycles, skipped);
    }

    /// <summary>
    /// Task ids from relative paths: the path itself where a task id may be one, else the path
    /// with each character an id may not hold made '-', and 'file-' in front when it does not
    /// begin with a letter or digit (<c>__init__.py</c>, <c>pages/[id].tsx</c>, <c>(group)/page.tsx</c>,
    /// names with spaces); a clash or an over-long id gets the path's hash.
    /// </summary>
    private static Dictionary<string, string> TaskIds(List<string> files, Dictionary<string, string> paths)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = paths[file];
            var id = string.Concat(path.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-' ? c : '-'));
            if (!char.IsAsciiLetterOrDigit(id[0]))
                id = "file-" + id;
            if (id.Length > PlanValidator.MaxIdLength || !taken.Add(id))
            {
                var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..12];
                id = $"{id[..Math.Min(id.Length, PlanValidator.MaxIdLength - 13)]}-{hash}";
                taken.Add(id);
            }
            ids[file] = id;
        }
        return ids;
    }

    /// <summary>Every import that closes a cycle is recorded and left out; what remains is a DAG.</summary>
    private static List<string> BreakCycles(List<string> files, Dictionary<string, List<string>> edges, Dictionary<string, string> ids)
    {
        var index = files.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var graph = files.Select(f => (IReadOnlyList<int>)edges[f].Select(d => index[d]).ToArray()).ToArray();
        var backEdges = DependencyCycles.Find(files.Count, i => graph[i]).ToList();
        foreach (var edge in backEdges)
            edges[files[edge.From]].Remove(files[edge.To]);
        return backEdges.Select(e => string.Join(" -> ", e.Cycle.Select(i => ids[files[i]]))).ToList();
    }

    private static IEnumerable<string> Enumerate(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            if (ImportScanner.IsSource(file))
                yield return Path.GetFullPath(file);
        }
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (SkippedDirectories.Contains(Path.GetFileName(sub)))
                continue;
            foreach (var file in Enumerate(sub))
                yield return file;
        }
    }
}

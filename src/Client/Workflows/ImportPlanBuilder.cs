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

        var ids = files.ToDictionary(f => f, f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), StringComparer.Ordinal);
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
            Input = new Dictionary<string, string> { ["path"] = ids[f] },
            DependsOn = edges[f].Select(d => ids[d]).ToArray(),
        }).ToArray();
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = Path.GetFileName(root), Tasks = tasks });
        return new Result(plan, cycles, skipped);
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

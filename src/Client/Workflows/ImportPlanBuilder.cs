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

    /// <summary>Depth-first; an edge back to a file on the current path closes a cycle: record it, drop the edge.</summary>
    private static List<string> BreakCycles(List<string> files, Dictionary<string, List<string>> edges, Dictionary<string, string> ids)
    {
        var cycles = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var root in files)
        {
            if (state.GetValueOrDefault(root) != 0)
                continue;
            var frames = new Stack<(string File, int Next)>();
            frames.Push((root, 0));
            state[root] = 1;
            path.Add(root);
            while (frames.Count > 0)
            {
                var (file, next) = frames.Pop();
                var deps = edges[file];
                if (next < deps.Count)
                {
                    var dep = deps[next];
                    if (state.GetValueOrDefault(dep) == 1)
                    {
                        var loop = path.Skip(path.IndexOf(dep)).Select(f => ids[f]).Append(ids[dep]);
                        cycles.Add(string.Join(" -> ", loop));
                        deps.RemoveAt(next);
                        frames.Push((file, next));
                        continue;
                    }
                    frames.Push((file, next + 1));
                    if (state.GetValueOrDefault(dep) == 0)
                    {
                        state[dep] = 1;
                        path.Add(dep);
                        frames.Push((dep, 0));
                    }
                }
                else
                {
                    state[file] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        return cycles;
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

using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Silo.Api;

/// <summary>
/// Which files a run started through the API may have its agents read (a loader's <c>path</c>, a
/// validator's <c>schema</c>): those inside
/// <c>datasets/</c> of the silo's data directory (not the directory itself, which holds the
/// admin key and the database), or inside one of <c>Aviary:InputRoots</c>. A plan naming any
/// other file (say <c>/etc/passwd</c>, <c>../../secret</c>, or a link that leads out) is refused
/// before it runs, naming the task's field. Relative paths are read from the silo's working
/// directory, as the agents read them.
/// </summary>
public sealed class AgentInputPolicy
{
    /// <summary>The inputs that name a file an agent reads from the input folder, by agent kind.</summary>
    private static readonly Dictionary<string, string> FileInputs = new(StringComparer.Ordinal)
    {
        [AgentKinds.DataLoader] = "path",
        [AgentKinds.SourceFile] = "path",
        [AgentKinds.Validator] = "schema",
    };

    private readonly string _workingDirectory;
    private readonly string[] _roots;

    public AgentInputPolicy(string workingDirectory, IEnumerable<string> roots)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory);
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(_workingDirectory, r)))).ToArray();
    }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Where datasets go: <c>datasets/</c> of the silo's data directory, in full.</summary>
    public string Datasets => _roots[0];

    public WorkflowPlan Check(WorkflowPlan plan)
    {
        for (var i = 0; i < plan.Tasks.Length; i++)
        {
            var task = plan.Tasks[i];
            if (!FileInputs.TryGetValue(task.Agent, out var input) || !task.Input.TryGetValue(input, out var path) || path.Length == 0)
                continue;
            if (path.Any(char.IsControl))
                throw new AviaryValidationException($"tasks[{i}].input.{input}", "must not contain control characters");
            var full = Path.GetFullPath(Path.Combine(_workingDirectory, path));
            // A link is judged by where it leads.
            var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
            if (!Inside(full) || !Inside(target))
                throw new AviaryValidationException($"tasks[{i}].input.{input}", $"must be a file inside {_roots[0]}{(_roots.Length > 1 ? " or Aviary:InputRoots" : "")} (got '{path}')");
        }
        return plan;
    }

    private bool Inside(string full) => _roots.Any(root => full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
}

using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Silo.Api;

/// <summary>
/// Which files a run started through the API may have its agents read: those inside the silo's
/// data directory, or inside one of <c>Aviary:InputRoots</c>. A plan naming any other file (say
/// <c>/etc/passwd</c>, or <c>../../secret</c>) is refused before it runs, naming the task's field.
/// Relative paths are read from the silo's working directory, as the agents read them.
/// </summary>
public sealed class AgentInputPolicy
{
    /// <summary>Agents whose <c>path</c> input is a file they read.</summary>
    private static readonly HashSet<string> FileReaders = [AgentKinds.DataLoader, AgentKinds.SourceFile];

    private readonly string _workingDirectory;
    private readonly string[] _roots;

    public AgentInputPolicy(string workingDirectory, IEnumerable<string> roots)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory);
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(_workingDirectory, r)))).ToArray();
    }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The silo's data directory, in full.</summary>
    public string DataDirectory => _roots[0];

    public WorkflowPlan Check(WorkflowPlan plan)
    {
        for (var i = 0; i < plan.Tasks.Length; i++)
        {
            var task = plan.Tasks[i];
            if (!FileReaders.Contains(task.Agent) || !task.Input.TryGetValue("path", out var path) || path.Length == 0)
                continue;
            if (path.Any(char.IsControl))
                throw new AviaryValidationException($"tasks[{i}].input.path", "must not contain control characters");
            var full = Path.GetFullPath(Path.Combine(_workingDirectory, path));
            if (!_roots.Any(root => full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                throw new AviaryValidationException($"tasks[{i}].input.path", $"must be a file inside the data directory {_roots[0]}{(_roots.Length > 1 ? " or Aviary:InputRoots" : "")} (got '{path}')");
        }
        return plan;
    }
}

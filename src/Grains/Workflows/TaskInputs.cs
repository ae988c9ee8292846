using System.Text.RegularExpressions;
using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>A task's input as its agent gets it: <c>${tasks.&lt;id&gt;.result}</c> becomes that task's result reference.</summary>
public static partial class TaskInputs
{
    [GeneratedRegex(@"\$\{tasks\.(?<id>[A-Za-z0-9._/-]+)\.result\}")]
    private static partial Regex ResultReference();

    /// <summary>
    /// Resolves the references to the task's dependencies (they have succeeded when it runs); a
    /// reference to any other task stays as written.
    /// </summary>
    public static Dictionary<string, string> Resolve(TaskSpec task, Func<string, string?> resultOf)
    {
        if (!task.Input.Values.Any(v => v.Contains("${tasks.", StringComparison.Ordinal)))
            return task.Input;
        return task.Input.ToDictionary(kv => kv.Key, kv => ResultReference().Replace(kv.Value, m =>
        {
            var id = m.Groups["id"].Value;
            return task.DependsOn.Contains(id, StringComparer.Ordinal) ? resultOf(id) ?? "" : m.Value;
        }));
    }
}

using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary.Workflows;

/// <summary>
/// Checks a plan before anything runs and throws <see cref="AviaryValidationException"/> naming
/// the first problem: duplicate or bad ids, unknown dependencies or agent kinds, bad retry or
/// timeout values, and cycles, named as <c>a -> b -> c -> a</c> (each task depends on the next).
/// </summary>
public static partial class PlanValidator
{
    public const int MaxTasks = 100_000;

    /// <summary>Longest task id (the pattern's 1 + 199).</summary>
    public const int MaxIdLength = 200;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\$\{tasks\.(?<id>[A-Za-z0-9._/-]+)\.result\}")]
    private static partial Regex ResultReference();

    public static WorkflowPlan Validate(WorkflowPlan? plan, IReadOnlySet<string>? agentKinds = null)
    {
        if (plan is null)
            throw new AviaryValidationException("plan", "must be given");
        agentKinds ??= AgentKinds.All;
        if (plan.Tasks is null || plan.Tasks.Length == 0)
            throw new AviaryValidationException("tasks", "must list at least one task");
        if (plan.Tasks.Length > MaxTasks)
            throw new AviaryValidationException("tasks", $"at most {MaxTasks} tasks in a plan");

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Tasks.Length; i++)
        {
            var task = plan.Tasks[i];
            var at = $"tasks[{i}]";
            if (task is null)
                throw new AviaryValidationException(at, "must be a task");
            if (string.IsNullOrEmpty(task.Id) || !IdPattern().IsMatch(task.Id))
                throw new AviaryValidationException($"{at}.id", "must be 1–200 letters, digits, '.', '_', '/' or '-', starting with a letter or digit");
            if (!index.TryAdd(task.Id, i))
                throw new AviaryValidationException($"{at}.id", $"'{task.Id}' is used twice (also tasks[{index[task.Id]}])");
            if (string.IsNullOrEmpty(task.Agent) || !agentKinds.Contains(task.Agent))
                throw new AviaryValidationException($"{at}.agent", $"unknown agent kind '{task.Agent}' (known: {string.Join(", ", agentKinds.Order())})");
            ValidateRetry($"{at}.retry", task.Retry);
            if (task.Timeout <= TimeSpan.Zero || task.Timeout > TimeSpan.FromDays(1))
                throw new AviaryValidationException($"{at}.timeout", "must be positive and at most 1 day");
            if (task.Estimate is { } estimate && estimate < TimeSpan.Zero)
                throw new AviaryValidationException($"{at}.estimate", "must not be negative");
        }

        for (var i = 0; i < plan.Tasks.Length; i++)
        {
            var task = plan.Tasks[i];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var dependency in task.DependsOn ?? [])
            {
                if (!index.ContainsKey(dependency))
                    throw new AviaryValidationException($"tasks[{i}].dependsOn", $"unknown task '{dependency}'");
                if (dependency == task.Id)
                    throw new AviaryValidationException("tasks", $"cycle {task.Id} -> {task.Id}");
                if (!seen.Add(dependency))
                    throw new AviaryValidationException($"tasks[{i}].dependsOn", $"'{dependency}' is listed twice");
            }
            foreach (var (key, value) in task.Input ?? [])
            {
                foreach (Match reference in ResultReference().Matches(value ?? ""))
                {
                    var id = reference.Groups["id"].Value;
                    if (!seen.Contains(id))
                        throw new AviaryValidationException($"tasks[{i}].input.{key}", $"refers to the result of '{id}', which the task does not depend on");
                }
            }
        }

        if (FindCycle(plan, index) is { } cycle)
            throw new AviaryValidationException("tasks", $"cycle {string.Join(" -> ", cycle)}");
        return plan;
    }

    private static void ValidateRetry(string at, RetryPolicy? retry)
    {
        if (retry is null)
            throw new AviaryValidationException(at, "must be given");
        if (retry.MaxAttempts is < 1 or > 100)
            throw new AviaryValidationException($"{at}.maxAttempts", "must be between 1 and 100");
        if (retry.InitialInterval <= TimeSpan.Zero)
            throw new AviaryValidationException($"{at}.initialInterval", "must be positive");
        if (double.IsNaN(retry.BackoffCoefficient) || retry.BackoffCoefficient < 1 || retry.BackoffCoefficient > 100)
            throw new AviaryValidationException($"{at}.backoffCoefficient", "must be between 1 and 100");
        if (retry.MaxInterval < retry.InitialInterval)
            throw new AviaryValidationException($"{at}.maxInterval", "must not be shorter than initialInterval");
        if (retry.MaxInterval > TimeSpan.FromDays(1))
            throw new AviaryValidationException($"{at}.maxInterval", "must be at most 1 day");
    }

    /// <summary>The first cycle along dependsOn edges, in plan order, as ids with the first repeated at the end.</summary>
    private static List<string>? FindCycle(WorkflowPlan plan, Dictionary<string, int> index)
    {
        var edges = plan.Tasks.Select(t => (IReadOnlyList<int>)(t.DependsOn ?? []).Select(d => index[d]).ToArray()).ToArray();
        var first = DependencyCycles.Find(edges.Length, i => edges[i]).FirstOrDefault();
        return first?.Cycle.Select(i => plan.Tasks[i].Id).ToList();
    }
}

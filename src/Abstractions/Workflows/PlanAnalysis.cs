namespace Aviary.Workflows;

/// <summary>
/// What a valid plan looks like before it runs: which tasks can run together (topological
/// batches), the critical path and its length, and counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.PlanAnalysis")]
public sealed record PlanAnalysis
{
    /// <summary>Tasks without an estimate count as this much on the critical path.</summary>
    public static readonly TimeSpan DefaultEstimate = TimeSpan.FromSeconds(1);

    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public int TaskCount { get; init; }
    [Id(2)] public int EdgeCount { get; init; }
    /// <summary>Batch i holds the tasks whose longest chain of dependencies has i links; high priority first.</summary>
    [Id(3)] public string[][] Batches { get; init; } = [];
    [Id(4)] public string[] CriticalPath { get; init; } = [];
    [Id(5)] public TimeSpan CriticalPathLength { get; init; }
    [Id(6)] public Dictionary<string, int> TasksByAgent { get; init; } = [];
    [Id(7)] public int MaxParallelism { get; init; }

    public static PlanAnalysis Of(WorkflowPlan plan)
    {
        PlanValidator.Validate(plan, plan.Tasks.Select(t => t.Agent).ToHashSet(StringComparer.Ordinal));
        var order = TopologicalOrder(plan);
        var byId = plan.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var finish = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var via = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var task in order)
        {
            var deps = task.DependsOn ?? [];
            level[task.Id] = deps.Length == 0 ? 0 : deps.Max(d => level[d]) + 1;
            var before = deps.Length == 0 ? null : deps.MaxBy(d => finish[d]);
            via[task.Id] = before;
            finish[task.Id] = (before is null ? TimeSpan.Zero : finish[before]) + (task.Estimate ?? DefaultEstimate);
        }

        var batches = plan.Tasks
            .GroupBy(t => level[t.Id])
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(t => t.Priority).Select(t => t.Id).ToArray())
            .ToArray();
        var last = plan.Tasks.MaxBy(t => finish[t.Id])!.Id;
        var path = new List<string>();
        for (string? at = last; at is not null; at = via[at])
            path.Add(at);
        path.Reverse();

        return new PlanAnalysis
        {
            Name = plan.Name,
            TaskCount = plan.Tasks.Length,
            EdgeCount = plan.Tasks.Sum(t => t.DependsOn?.Length ?? 0),
            Batches = batches,
            CriticalPath = [.. path],
            CriticalPathLength = finish[last],
            TasksByAgent = plan.Tasks.GroupBy(t => t.Agent).ToDictionary(g => g.Key, g => g.Count()),
            MaxParallelism = batches.Max(b => b.Length),
        };
    }

    /// <summary>Kahn's algorithm, stable in plan order.</summary>
    public static IReadOnlyList<TaskSpec> TopologicalOrder(WorkflowPlan plan)
    {
        var remaining = plan.Tasks.ToDictionary(t => t.Id, t => t.DependsOn?.Length ?? 0, StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<TaskSpec>>(StringComparer.Ordinal);
        foreach (var task in plan.Tasks)
        {
            foreach (var d in task.DependsOn ?? [])
            {
                if (!dependents.TryGetValue(d, out var list))
                    dependents[d] = list = [];
                list.Add(task);
            }
        }
        var ready = new Queue<TaskSpec>(plan.Tasks.Where(t => remaining[t.Id] == 0));
        var order = new List<TaskSpec>(plan.Tasks.Length);
        while (ready.Count > 0)
        {
            var task = ready.Dequeue();
            order.Add(task);
            foreach (var dependent in dependents.GetValueOrDefault(task.Id) ?? [])
            {
                if (--remaining[dependent.Id] == 0)
                    ready.Enqueue(dependent);
            }
        }
        return order;
    }
}

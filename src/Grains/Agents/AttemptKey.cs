using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>One attempt of one task of one run: what a pool holds, answers and probes with.</summary>
public readonly record struct AttemptKey(string RunId, string TaskId, int Attempt)
{
    public static AttemptKey Of(WorkItem item) => new(item.RunId, item.TaskId, item.Attempt);
}

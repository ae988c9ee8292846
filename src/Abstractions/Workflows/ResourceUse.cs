namespace Aviary.Workflows;

/// <summary>
/// What running work cost: wall time, CPU time of the thread that ran it, bytes it allocated,
/// and the managed heap's high-water mark while it ran. Wall, CPU and allocations add up over
/// attempts, tasks and agent kinds; the peak is a maximum, never a sum.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.ResourceUse")]
public readonly record struct ResourceUse
{
    [Id(0)] public TimeSpan Wall { get; init; }
    /// <summary>CPU time of the worker thread while it ran the task (user + kernel). Zero where the platform cannot tell.</summary>
    [Id(1)] public TimeSpan Cpu { get; init; }
    /// <summary>Bytes the task allocated on the managed heap.</summary>
    [Id(2)] public long AllocatedBytes { get; init; }
    /// <summary>
    /// The process's managed heap at its largest while the task ran. Tasks running at the same
    /// time share a heap, so this bounds a task's footprint from above; run alone it is the task's.
    /// </summary>
    [Id(3)] public long PeakHeapBytes { get; init; }

    public ResourceUse Plus(ResourceUse other) => new()
    {
        Wall = Wall + other.Wall,
        Cpu = Cpu + other.Cpu,
        AllocatedBytes = AllocatedBytes + other.AllocatedBytes,
        PeakHeapBytes = Math.Max(PeakHeapBytes, other.PeakHeapBytes),
    };

    public static ResourceUse Sum(IEnumerable<ResourceUse> uses)
    {
        var total = default(ResourceUse);
        foreach (var use in uses)
            total = total.Plus(use);
        return total;
    }
}

using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>
/// Up to <see cref="WorkflowProgressStore.ChunkSize"/> consecutive tasks of a run, as stored: a
/// column per field rather than a record per task (about half the bytes: no per-object headers,
/// no task ids — those are the plan's), so a full chunk stays under the large-object heap's
/// 85 KB. Times are UTC ticks, 0 for none.
/// </summary>
[GenerateSerializer, Alias("aviary.WorkflowProgressChunk")]
public sealed class WorkflowProgressChunk
{
    [Id(0)] public TaskRunStatus[] Status { get; set; } = [];
    [Id(1)] public int[] Attempts { get; set; } = [];
    [Id(2)] public int[] ExtraAttempts { get; set; } = [];
    [Id(3)] public long[] StartedAt { get; set; } = [];
    [Id(4)] public long[] FinishedAt { get; set; } = [];
    [Id(5)] public long[] NextAttemptAt { get; set; } = [];
    [Id(6)] public string?[] ErrorKind { get; set; } = [];
    [Id(7)] public string?[] Error { get; set; } = [];
    [Id(8)] public string?[] ResultRef { get; set; } = [];
    [Id(9)] public long[] WallTicks { get; set; } = [];
    [Id(10)] public long[] CpuTicks { get; set; } = [];
    [Id(11)] public long[] AllocatedBytes { get; set; } = [];
    [Id(12)] public long[] PeakHeapBytes { get; set; } = [];

    public int Count => Status.Length;

    public static WorkflowProgressChunk Of(IReadOnlyList<TaskRun> tasks, int first, int count)
    {
        var chunk = new WorkflowProgressChunk
        {
            Status = new TaskRunStatus[count],
            Attempts = new int[count],
            ExtraAttempts = new int[count],
            StartedAt = new long[count],
            FinishedAt = new long[count],
            NextAttemptAt = new long[count],
            ErrorKind = new string?[count],
            Error = new string?[count],
            ResultRef = new string?[count],
            WallTicks = new long[count],
            CpuTicks = new long[count],
            AllocatedBytes = new long[count],
            PeakHeapBytes = new long[count],
        };
        for (var j = 0; j < count; j++)
        {
            var t = tasks[first + j];
            chunk.Status[j] = t.Status;
            chunk.Attempts[j] = t.Attempts;
            chunk.ExtraAttempts[j] = t.ExtraAttempts;
            chunk.StartedAt[j] = Ticks(t.StartedAt);
            chunk.FinishedAt[j] = Ticks(t.FinishedAt);
            chunk.NextAttemptAt[j] = Ticks(t.NextAttemptAt);
            chunk.ErrorKind[j] = t.ErrorKind;
            chunk.Error[j] = t.Error;
            chunk.ResultRef[j] = t.ResultRef;
            chunk.WallTicks[j] = t.Use.Wall.Ticks;
            chunk.CpuTicks[j] = t.Use.Cpu.Ticks;
            chunk.AllocatedBytes[j] = t.Use.AllocatedBytes;
            chunk.PeakHeapBytes[j] = t.Use.PeakHeapBytes;
        }
        return chunk;
    }

    /// <summary>Task <paramref name="j"/> of the chunk, whose id is <paramref name="id"/>.</summary>
    public TaskRun Task(int j, string id) => new()
    {
        Id = id,
        Status = Status[j],
        Attempts = Attempts[j],
        ExtraAttempts = ExtraAttempts[j],
        StartedAt = Time(StartedAt[j]),
        FinishedAt = Time(FinishedAt[j]),
        NextAttemptAt = Time(NextAttemptAt[j]),
        ErrorKind = ErrorKind[j],
        Error = Error[j],
        ResultRef = ResultRef[j],
        Use = new ResourceUse
        {
            Wall = TimeSpan.FromTicks(WallTicks[j]),
            Cpu = TimeSpan.FromTicks(CpuTicks[j]),
            AllocatedBytes = AllocatedBytes[j],
            PeakHeapBytes = PeakHeapBytes[j],
        },
    };

    private static long Ticks(DateTimeOffset? at) => at?.UtcTicks ?? 0;

    private static DateTimeOffset? Time(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}

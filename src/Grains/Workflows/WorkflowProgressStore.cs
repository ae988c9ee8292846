using Aviary.Workflows;
using Orleans.Storage;

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

/// <summary>
/// A run's task progress in chunks of <see cref="ChunkSize"/> tasks, each its own grain-storage
/// record: a flush rewrites only the chunks whose tasks changed, so the last outcomes of a
/// 10,000-task fan-out cost a write of one chunk rather than of the whole run, and a chunk of
/// ordinary tasks is not big enough to land on the large-object heap. Chunks are written one after another;
/// a crash between two leaves some of a flush stored and some not, which
/// <see cref="WorkflowScheduler"/> reconciles when it restores the run (nothing that follows from
/// a flush happens before all of its chunks are stored).
/// </summary>
public sealed class WorkflowProgressStore(IGrainStorage storage, GrainId grainId)
{
    /// <summary>Tasks per chunk. Part of the stored format: chunk k holds tasks k·1024 … k·1024+1023.</summary>
    public const int ChunkSize = 1024;

    private readonly Dictionary<int, GrainState<WorkflowProgressChunk>> _chunks = [];
    private readonly SortedSet<int> _dirty = [];

    public static string StateName(int chunk) => $"workflow-progress-{chunk}";

    /// <summary>
    /// The stored progress of <paramref name="plan"/>'s tasks, tasks of chunks never written as
    /// pending; null when no chunk was ever written.
    /// </summary>
    public async Task<TaskRun[]?> ReadAsync(WorkflowPlan plan)
    {
        var n = plan.Tasks.Length;
        var tasks = new TaskRun[n];
        var found = false;
        for (var k = 0; k * ChunkSize < n; k++)
        {
            var chunk = new GrainState<WorkflowProgressChunk>(new WorkflowProgressChunk());
            await storage.ReadStateAsync(StateName(k), grainId, chunk);
            chunk.State ??= new WorkflowProgressChunk();
            _chunks[k] = chunk;
            var first = k * ChunkSize;
            var stored = chunk.State;
            var size = Math.Min(ChunkSize, n - first);
            if (stored.Count == size)
                found = true;
            for (var j = 0; j < size; j++)
            {
                var id = plan.Tasks[first + j].Id;
                tasks[first + j] = stored.Count == size ? stored.Task(j, id) : new TaskRun { Id = id, Status = TaskRunStatus.Pending };
            }
        }
        return found ? tasks : null;
    }

    /// <summary>Notes that task <paramref name="index"/> changed since the last write.</summary>
    public void MarkChanged(int index) => _dirty.Add(index / ChunkSize);

    public bool HasChanges => _dirty.Count > 0;

    /// <summary>Writes every chunk with a change. A chunk whose write fails stays marked and goes with the next write.</summary>
    public async Task WriteAsync(IReadOnlyList<TaskRun> tasks)
    {
        foreach (var k in _dirty.ToArray())
        {
            if (!_chunks.TryGetValue(k, out var chunk))
                _chunks[k] = chunk = new GrainState<WorkflowProgressChunk>(new WorkflowProgressChunk());
            var first = k * ChunkSize;
            chunk.State = WorkflowProgressChunk.Of(tasks, first, Math.Min(ChunkSize, tasks.Count - first));
            await storage.WriteStateAsync(StateName(k), grainId, chunk);
            _dirty.Remove(k);
        }
    }
}

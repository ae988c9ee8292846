using Aviary.Workflows;
using Orleans.Storage;

namespace Aviary.Grains.Workflows;

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

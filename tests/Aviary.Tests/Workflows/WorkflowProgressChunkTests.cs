using Aviary.Grains.Workflows;
using Aviary.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Aviary.Tests.Workflows;

public sealed class WorkflowProgressChunkTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Below this, .NET allocates on the small-object heap (the large-object heap is collected only with gen 2).</summary>
    private const int LargeObjectThreshold = 85_000;

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(TaskRun).Assembly).AddAssembly(typeof(WorkflowProgressChunk).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void FullChunk_StaysOffTheLargeObjectHeap_AndReadsBackAsWritten()
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var tasks = Enumerable.Range(0, WorkflowProgressStore.ChunkSize).Select(i => new TaskRun
        {
            Id = $"task-{i:00000}",
            Status = i % 7 == 0 ? TaskRunStatus.RetryWaiting : TaskRunStatus.Succeeded,
            Attempts = 1 + i % 3,
            ExtraAttempts = i % 11 == 0 ? 3 : 0,
            StartedAt = at.AddMilliseconds(i),
            FinishedAt = at.AddMilliseconds(i + 3),
            NextAttemptAt = i % 7 == 0 ? at.AddSeconds(10) : null,
            ErrorKind = i % 7 == 0 ? "Timeout" : null,
            ResultRef = i % 7 == 0 ? null : $"noop/{i}",
            Use = new ResourceUse { Wall = TimeSpan.FromMilliseconds(3.2), Cpu = TimeSpan.FromMilliseconds(2.9), AllocatedBytes = 48_213, PeakHeapBytes = 180_000_000 },
        }).ToArray();

        var bytes = Serializer.SerializeToArray(WorkflowProgressChunk.Of(tasks, 0, tasks.Length));

        output.WriteLine($"{bytes.Length} bytes for {WorkflowProgressStore.ChunkSize} tasks");
        Assert.True(bytes.Length < LargeObjectThreshold, $"{bytes.Length} bytes ({bytes.Length / WorkflowProgressStore.ChunkSize} per task)");
        var back = Serializer.Deserialize<WorkflowProgressChunk>(bytes);
        Assert.Equal(tasks, tasks.Select((t, j) => back!.Task(j, t.Id)));
    }
}

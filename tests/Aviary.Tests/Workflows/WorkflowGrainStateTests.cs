using Aviary.Grains.Workflows;
using Aviary.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Aviary.Tests.Workflows;

/// <summary>A run's record as earlier builds stored it (every task in it) still reads: the retired fields are skipped.</summary>
public sealed class WorkflowGrainStateTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(TaskRun).Assembly).AddAssembly(typeof(WorkflowGrainState).Assembly).AddAssembly(typeof(WorkflowGrainStateTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    /// <summary><see cref="WorkflowGrainState"/> as builds before chunked progress declared it.</summary>
    [GenerateSerializer, Alias("aviary.tests.EarlierWorkflowGrainState")]
    public sealed class EarlierWorkflowGrainState
    {
        [Id(1)] public TaskRun[] Tasks { get; set; } = [];
        [Id(2)] public WorkflowStatus Status { get; set; }
        [Id(3)] public DateTimeOffset CreatedAt { get; set; }
        [Id(4)] public DateTimeOffset? CompletedAt { get; set; }
    }

    [Fact]
    public void RecordOfAnEarlierBuild_ReadsHowTheRunEnded()
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var earlier = new EarlierWorkflowGrainState
        {
            Tasks = [.. Enumerable.Range(0, 3).Select(i => new TaskRun { Id = $"t{i}", Status = TaskRunStatus.DeadLettered, Attempts = 2, ErrorKind = "Boom", Error = "failed" })],
            Status = WorkflowStatus.Failed,
            CreatedAt = at,
            CompletedAt = at.AddMinutes(5),
        };

        var read = Serializer.Deserialize<WorkflowGrainState>(Serializer.SerializeToArray(earlier));

        Assert.NotNull(read);
        Assert.Equal((WorkflowStatus.Failed, at.AddMinutes(5)), (read.Status, read.CompletedAt));
    }
}

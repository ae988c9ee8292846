namespace Aviary.Workflows;

/// <summary>
/// What goes on <see cref="Names.WorkflowEvents"/> (stream <see cref="Names.WorkflowEventsKey"/> of the run): the events of one stored
/// change of a run, in order, published after the change is stored. One stream message per up
/// to 512 events, each event a few bytes (the run and the time are said once): a 10,000-task
/// fan-out is a few dozen messages. <see cref="Events"/> gives them one by one.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowEventBatch")]
public sealed record WorkflowEventBatch
{
    [Id(0)] public string RunId { get; init; } = "";
    [Id(1)] public DateTimeOffset At { get; init; }
    [Id(2)] public WorkflowEventItem[] Items { get; init; } = [];

    public IEnumerable<WorkflowEvent> Events => Items.Select(i => new WorkflowEvent
    {
        RunId = RunId,
        Kind = i.Kind,
        TaskId = i.TaskId,
        Attempt = i.Attempt,
        Status = i.Status,
        Message = i.Message,
        At = At,
    });
}

/// <summary>One event of a <see cref="WorkflowEventBatch"/>; see <see cref="WorkflowEvent"/> for the fields.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowEventItem")]
public readonly record struct WorkflowEventItem
{
    [Id(0)] public string Kind { get; init; }
    [Id(1)] public string? TaskId { get; init; }
    [Id(2)] public int Attempt { get; init; }
    [Id(3)] public WorkflowStatus Status { get; init; }
    [Id(4)] public string Message { get; init; }
}

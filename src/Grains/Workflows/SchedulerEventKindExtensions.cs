namespace Aviary.Grains.Workflows;

public static class SchedulerEventKindExtensions
{
    // Made once: every task publishes several events.
    private static readonly string[] FeedNames = [.. Enum.GetValues<SchedulerEventKind>().Select(kind => kind switch
    {
        SchedulerEventKind.RetryScheduled => "retry-scheduled",
        SchedulerEventKind.DeadLettered => "dead-lettered",
        SchedulerEventKind.WorkflowCompleted => "completed",
        _ => kind.ToString().ToLowerInvariant(),
    })];

    /// <summary>The kind as the live feeds and their clients name it (kebab case; the run's end is <c>completed</c>).</summary>
    public static string FeedName(this SchedulerEventKind kind) => FeedNames[(int)kind];
}

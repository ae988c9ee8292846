using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

/// <summary>A workflow run's events.</summary>
public sealed class WorkflowEventProbe : StreamProbe<WorkflowEvent>
{
    public static async Task<WorkflowEventProbe> SubscribeAsync(IClusterClient client, string runId)
    {
        var probe = new WorkflowEventProbe();
        await probe.SubscribeAsync<WorkflowEventBatch>(client, Names.WorkflowEvents, Names.WorkflowEventsKey(runId), batch => batch.RunId == runId ? batch.Events : []);
        return probe;
    }

    public Task<WorkflowEvent> WaitForAsync(Func<WorkflowEvent, bool> match, string description) => WaitForAsync(match, 1, description);

    public Task<WorkflowEvent> CompletedAsync() => WaitForAsync(e => e.Kind == "completed", "the run's completion");

    protected override string Describe(WorkflowEvent e) => e.Kind == "failed" ? $"{e.Kind}:{e.TaskId} ({e.Message})" : $"{e.Kind}:{e.TaskId}";
}

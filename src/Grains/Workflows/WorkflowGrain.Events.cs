using Aviary.Workflows;
using Orleans.Runtime;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowGrain
{
    private const int PublishBatch = 512;

    private async Task DeadLetterAsync(SchedulerEvent[] events, DateTimeOffset now)
    {
        var letters = new List<DeadLetter>();
        foreach (var e in events.Where(e => e.Kind == SchedulerEventKind.DeadLettered))
        {
            var spec = Scheduler.Spec(e.TaskId!);
            var run = Scheduler.Task(e.TaskId!);
            letters.Add(new DeadLetter
            {
                RunId = RunId,
                TaskId = spec.Id,
                Agent = spec.Agent,
                Input = spec.Input,
                Attempts = run.Attempts,
                ErrorKind = run.ErrorKind ?? "",
                Error = run.Error ?? "",
                At = now,
            });
            LogDeadLettered(logger, RunId, spec.Id, run.Attempts, run.ErrorKind ?? "");
        }
        // One write for all of this flush's dead letters: a wide fan-out failing costs one, not one each.
        if (letters.Count > 0)
            await GrainFactory.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key).AddAsync([.. letters]);
    }

    private async Task PublishAsync(SchedulerEvent[] events, DateTimeOffset now)
    {
        if (events.Length == 0)
            return;
        var runId = RunId;
        var stream = this.GetStreamProvider(Names.StreamProvider).GetStream<WorkflowEventBatch>(StreamId.Create(Names.WorkflowEvents, Names.WorkflowEventsKey(runId)));
        try
        {
            // Batches of a few hundred events: each stays well under the large-object heap's
            // 85 KB once serialized, so publishing does not feed gen-2 collections.
            for (var start = 0; start < events.Length; start += PublishBatch)
            {
                var items = new WorkflowEventItem[Math.Min(PublishBatch, events.Length - start)];
                for (var i = 0; i < items.Length; i++)
                {
                    var e = events[start + i];
                    items[i] = new WorkflowEventItem { Kind = e.Kind.FeedName(), TaskId = e.TaskId, Attempt = e.Attempt, Status = e.Status, Message = e.Message };
                }
                await stream.OnNextAsync(new WorkflowEventBatch { RunId = runId, At = now, Items = items });
            }
        }
        catch (Exception ex)
        {
            // A live feed: the stored run is the record.
            LogPublishFailed(logger, ex, RunId);
        }
    }
}

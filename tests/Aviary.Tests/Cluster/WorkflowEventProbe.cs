using Aviary.Workflows;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Tests.Cluster;

/// <summary>Waits for a workflow run's events: a run's completion, a task's retry scheduling.</summary>
public sealed class WorkflowEventProbe : IAsyncDisposable
{
    private readonly List<WorkflowEvent> _events = [];
    private readonly List<(Func<WorkflowEvent, bool> Match, TaskCompletionSource<WorkflowEvent> Seen)> _waiters = [];
    private StreamSubscriptionHandle<WorkflowEvent>? _handle;

    public static async Task<WorkflowEventProbe> SubscribeAsync(IClusterClient client, string runId)
    {
        var probe = new WorkflowEventProbe();
        var stream = client.GetStreamProvider(Names.StreamProvider).GetStream<WorkflowEvent>(StreamId.Create(Names.WorkflowEvents, runId));
        probe._handle = await stream.SubscribeAsync((e, _) =>
        {
            probe.Add(e);
            return Task.CompletedTask;
        });
        return probe;
    }

    public IReadOnlyList<WorkflowEvent> Events
    {
        get
        {
            lock (_events)
                return _events.ToArray();
        }
    }

    public async Task<WorkflowEvent> WaitForAsync(Func<WorkflowEvent, bool> match, string description)
    {
        var seen = new TaskCompletionSource<WorkflowEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_events)
        {
            var already = _events.FirstOrDefault(match);
            if (already is not null)
                return already;
            _waiters.Add((match, seen));
        }
        try
        {
            return await seen.Task.WaitAsync(EventProbe.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited for {description}; events so far: [{string.Join(", ", Events.Select(e => $"{e.Kind}:{e.TaskId}"))}]");
        }
    }

    public Task<WorkflowEvent> CompletedAsync() => WaitForAsync(e => e.Kind == "completed", "the run's completion");

    private void Add(WorkflowEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(e))
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult(e);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is null)
            return;
        try
        {
            await _handle.UnsubscribeAsync();
        }
        catch (ObjectDisposedException)
        {
            // The client is gone already.
        }
    }
}

using System.Diagnostics;
using Aviary.Agents;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aviary.Grains.Agents;

/// <summary>
/// Runs one agent kind's work: a queue by priority, workers scaled between min and max by queue
/// depth, a circuit breaker (while open, work waits in the queue instead of failing), and a result
/// cache. Executors run on the thread pool; each attempt's end comes back as a call on this grain,
/// and the pool tells the workflow one-way, so a pool never waits on a workflow.
/// </summary>
public sealed partial class AgentPoolGrain(
    AgentRegistry registry,
    AviaryClock clock,
    IOptions<AgentPoolOptions> options,
    ILogger<AgentPoolGrain> logger) : Grain, IAgentPoolGrain
{
    private readonly PriorityQueue<WorkItem, (TaskPriority Priority, long Sequence)> _queue = new();
    private readonly CircuitBreaker _breaker = new(options.Value.Breaker);
    private readonly ResultCache _cache = new(options.Value.CacheCapacity);
    private long _sequence;
    private int _busy;
    private int _workers = options.Value.MinWorkers;
    private long _succeeded, _failed, _cacheHits;
    private TimeSpan _duration;
    private IGrainTimer? _breakerTimer;

    private string Kind => this.GetPrimaryKeyString();

    Task IAgentPoolGrain.EnqueueAsync(WorkItem[] items)
    {
        var hasExecutor = registry.TryGet(Kind, out var executor);
        foreach (var item in items)
        {
            if (!hasExecutor)
            {
                Report(item, new TaskOutcome
                {
                    TaskId = item.TaskId,
                    Attempt = item.Attempt,
                    ErrorKind = "UnknownAgent",
                    Error = $"this silo has no executor for agent kind '{Kind}'",
                });
                continue;
            }
            var key = ResultCache.KeyOf(Kind, executor.Version, item.Input);
            if (_cache.TryGet(key, out var cached))
            {
                _cacheHits++;
                Report(item, new TaskOutcome { TaskId = item.TaskId, Attempt = item.Attempt, Succeeded = true, ResultRef = cached, FromCache = true });
                continue;
            }
            _queue.Enqueue(item, (item.Priority, _sequence++));
        }
        Scale();
        Pump();
        return Task.CompletedTask;
    }

    Task<AgentPoolView> IAgentPoolGrain.GetAsync() => Task.FromResult(new AgentPoolView
    {
        Agent = Kind,
        Workers = _workers,
        Busy = _busy,
        Queued = _queue.Count,
        Breaker = _breaker.State,
        Succeeded = _succeeded,
        Failed = _failed,
        CacheHits = _cacheHits,
        TotalDuration = _duration,
        MinWorkers = options.Value.MinWorkers,
        MaxWorkers = options.Value.MaxWorkers,
    });

    Task IAgentPoolGrain.CompletedAsync(WorkItem item, TaskOutcome outcome, string? cacheKey)
    {
        _busy--;
        _duration += outcome.Duration;
        if (outcome.Succeeded)
        {
            _succeeded++;
            if (cacheKey is not null)
                _cache.Add(cacheKey, outcome.ResultRef);
        }
        else
        {
            _failed++;
        }
        if (_breaker.Record(outcome.Succeeded, clock.Now) is { } changed)
            LogBreaker(logger, Kind, changed, _queue.Count);
        Report(item, outcome);
        Scale();
        Pump();
        return Task.CompletedTask;
    }

    private void Pump()
    {
        var now = clock.Now;
        while (_busy < _workers && _queue.Count > 0 && _breaker.TryAcquire(now))
        {
            var item = _queue.Dequeue();
            _busy++;
            Start(item);
        }
        if (_queue.Count > 0 && _breaker.RetryAt is { } retryAt)
        {
            var due = retryAt - now;
            if (due < TimeSpan.Zero)
                due = TimeSpan.Zero;
            _breakerTimer ??= this.RegisterGrainTimer(_ =>
            {
                Pump();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
            _breakerTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Start(WorkItem item)
    {
        registry.TryGet(Kind, out var executor);
        var self = this.AsReference<IAgentPoolGrain>();
        var cacheKey = ResultCache.KeyOf(Kind, executor.Version, item.Input);
        _ = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            AgentResult result;
            using var timeout = new CancellationTokenSource(item.Timeout);
            try
            {
                result = await executor.ExecuteAsync(new AgentRequest(item.RunId, item.TaskId, item.Attempt, item.Input), timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                result = AgentResult.Fail("Timeout", $"ran longer than {Durations.Format(item.Timeout)}");
            }
            catch (Exception ex)
            {
                result = AgentResult.Fail(ex.GetType().Name, ex.Message);
            }
            var outcome = new TaskOutcome
            {
                TaskId = item.TaskId,
                Attempt = item.Attempt,
                Succeeded = result.Succeeded,
                ResultRef = result.ResultRef,
                ErrorKind = result.ErrorKind,
                Error = result.Error,
                Duration = watch.Elapsed,
            };
            await self.CompletedAsync(item, outcome, result.Succeeded ? cacheKey : null);
        });
    }

    /// <summary>Workers follow demand at once on the way up, and come down only when the queue is empty.</summary>
    private void Scale()
    {
        var o = options.Value;
        var target = Math.Clamp(_busy + _queue.Count, o.MinWorkers, o.MaxWorkers);
        if (target == _workers || (target < _workers && _queue.Count > 0))
            return;
        LogScaled(logger, Kind, _workers, target, _queue.Count);
        _workers = target;
    }

    private void Report(WorkItem item, TaskOutcome outcome) =>
        GrainFactory.GetGrain<IWorkflowGrain>(item.RunId).ReportAsync(outcome).Ignore();
}

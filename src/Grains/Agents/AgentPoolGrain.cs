using Aviary.Agents;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Aviary.Grains.Agents;

/// <summary>
/// Runs one agent kind's work: a queue by priority, workers scaled between min and max by queue
/// depth, a circuit breaker (while open, work waits in the queue instead of failing), and a result
/// cache. Each worker takes a batch from the queue (bigger when the queue is deep) and runs it on
/// the thread pool; the batch's end comes back as one call on this grain, and the pool tells each
/// workflow one-way, so a pool never waits on a workflow.
/// </summary>
public sealed partial class AgentPoolGrain(
    AgentRegistry registry,
    AviaryClock clock,
    IOptions<AgentPoolOptions> options,
    IOptions<GrainTimingOptions> timing,
    [PersistentState("agent-pool", Names.Storage)] IPersistentState<AgentPoolTotals> totals,
    ILogger<AgentPoolGrain> logger) : Grain, IAgentPoolGrain
{
    /// <summary>How long counted work may wait before the totals are written: a write per batch would cost more than the work.</summary>
    private static readonly TimeSpan TotalsWriteDelay = TimeSpan.FromSeconds(5);

    private const int MaxBatch = 256;

    private readonly PriorityQueue<Queued, (TaskPriority Priority, long Sequence)> _queue = new();
    private readonly CircuitBreaker _breaker = new(options.Value.Breaker);
    private readonly ResultCache _cache = new(options.Value.CacheCapacity);
    private long _sequence;
    private int _busy;
    private int _workers = options.Value.MinWorkers;
    private IGrainTimer? _totalsTimer;
    private IGrainTimer? _breakerTimer;
    // Attempts handed to a worker, with their batch's progress and their place in it: what a run
    // asks about before it times an attempt out (see HoldsAsync).
    private readonly Dictionary<(string RunId, string TaskId, int Attempt), (BatchProgress Batch, int Position)> _running = [];
    private bool _totalsDirty;
    // The one attempt a half-open breaker let through.
    private (string RunId, string TaskId, int Attempt)? _probe;

    /// <summary>Slack on an attempt's latest end before the pool calls it stuck.</summary>
    private static readonly TimeSpan StuckGrace = TimeSpan.FromSeconds(30);

    private string Kind => this.GetPrimaryKeyString();

    Task IAgentPoolGrain.EnqueueAsync(WorkItem[] items)
    {
        var hasExecutor = registry.TryGet(Kind, out var executor);
        var answered = new List<CompletedWork>();
        foreach (var item in items)
        {
            if (!hasExecutor)
            {
                answered.Add(new CompletedWork(item, new TaskOutcome
                {
                    TaskId = item.TaskId,
                    Attempt = item.Attempt,
                    ErrorKind = "UnknownAgent",
                    Error = $"this silo has no executor for agent kind '{Kind}'",
                }, null));
                continue;
            }
            var key = CacheKey(executor, item);
            if (key is not null && _cache.TryGet(key, out var cached))
            {
                totals.State.CacheHits++;
                TotalsChanged();
                answered.Add(new CompletedWork(item, new TaskOutcome { TaskId = item.TaskId, Attempt = item.Attempt, Succeeded = true, ResultRef = cached, FromCache = true }, null));
                continue;
            }
            _queue.Enqueue(new Queued(item, key), (item.Priority, _sequence++));
        }
        Report(answered);
        Scale();
        Pump();
        ReportGauge();
        return Task.CompletedTask;
    }

    /// <summary>The item's result-cache key; null (not cached) when the agent cannot say what its result depends on.</summary>
    private string? CacheKey(IAgentExecutor executor, WorkItem item)
    {
        try
        {
            return ResultCache.KeyOf(Kind, executor.Version, item.Input, executor.CacheScope(item.RunId, item.Input));
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null; // e.g. a path the file system refuses: the attempt runs and says so itself
        }
    }

    Task<AgentPoolView> IAgentPoolGrain.GetAsync() => Task.FromResult(new AgentPoolView
    {
        Agent = Kind,
        Workers = _workers,
        Busy = _busy,
        Queued = _queue.Count,
        Breaker = _breaker.State,
        Succeeded = totals.State.Succeeded,
        Failed = totals.State.Failed,
        CacheHits = totals.State.CacheHits,
        Use = totals.State.Use,
        MinWorkers = options.Value.MinWorkers,
        MaxWorkers = options.Value.MaxWorkers,
    });

    Task<HeldWork[]> IAgentPoolGrain.HoldsAsync(string runId, AttemptRef[] attempts)
    {
        var queued = new HashSet<AttemptRef>();
        foreach (var (waiting, _) in _queue.UnorderedItems)
        {
            if (waiting.Item.RunId == runId)
                queued.Add(new AttemptRef(waiting.Item.TaskId, waiting.Item.Attempt));
        }
        var now = clock.Now;
        ReleaseStuckProbe(now);
        return Task.FromResult(attempts.Select(a =>
            _running.TryGetValue((runId, a.TaskId, a.Attempt), out var running)
                ? running.Batch.IsStuck(now, running.Position) ? HeldWork.NotHeld : HeldWork.Running(running.Batch.Since)
            : queued.Contains(a) ? HeldWork.Queued
            : HeldWork.NotHeld).ToArray());
    }

    Task IAgentPoolGrain.ForgetAsync(string runId)
    {
        var kept = _queue.UnorderedItems.Where(q => q.Element.Item.RunId != runId).ToArray();
        if (kept.Length == _queue.Count)
            return Task.CompletedTask;
        _queue.Clear();
        foreach (var (element, priority) in kept)
            _queue.Enqueue(element, priority);
        Scale();
        ReportGauge();
        return Task.CompletedTask;
    }

    Task IAgentPoolGrain.CompletedAsync(CompletedWork[] work)
    {
        // A batch started by an earlier activation of this pool may report to a new one.
        _busy = Math.Max(0, _busy - 1);
        var now = clock.Now;
        foreach (var (item, outcome, cacheKey) in work)
        {
            var key = AttemptKey(item);
            _running.Remove(key);
            var probe = _probe == key;
            if (probe)
                _probe = null;
            totals.State.Use = totals.State.Use.Plus(outcome.Use);
            if (outcome.Succeeded)
            {
                totals.State.Succeeded++;
                if (cacheKey is not null)
                    _cache.Add(cacheKey, outcome.ResultRef);
            }
            else
            {
                totals.State.Failed++;
            }
            if (_breaker.Record(outcome.Succeeded, now, probe) is { } changed)
                BreakerChanged(changed);
        }
        TotalsChanged();
        Report(work);
        Scale();
        Pump();
        ReportGauge();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        AviaryGauges.Pool(Kind, null);
        if (_totalsDirty)
            await WriteTotalsAsync();
    }

    /// <summary>The totals changed: written within <see cref="TotalsWriteDelay"/>, together with whatever else changes meanwhile.</summary>
    private void TotalsChanged()
    {
        _totalsDirty = true;
        _totalsTimer ??= this.RegisterGrainTimer(_ => WriteTotalsAsync(), new GrainTimerCreationOptions(TotalsWriteDelay, TotalsWriteDelay)
        {
            Interleave = false,
            KeepAlive = true,
        });
    }

    /// <summary>Writes the totals if they changed; a failed write is logged and tried again on the next tick (the counts stay in memory).</summary>
    private async Task WriteTotalsAsync()
    {
        if (!_totalsDirty)
        {
            _totalsTimer?.Dispose();
            _totalsTimer = null;
            return;
        }
        try
        {
            _totalsDirty = false;
            await totals.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _totalsDirty = true;
            LogTotalsWriteFailed(logger, ex, Kind);
        }
    }

    /// <summary>
    /// A half-open breaker lets one probe through; a probe stuck past its timeout (an agent that
    /// ignores its cancellation) would hold the kind half-open for good: it counts as failed, and the
    /// breaker opens again to try another probe later.
    /// </summary>
    private void ReleaseStuckProbe(DateTimeOffset now)
    {
        if (_probe is not { } probe || !_running.TryGetValue(probe, out var running) || !running.Batch.IsStuck(now, running.Position))
            return;
        _probe = null;
        if (_breaker.Record(false, now, probe: true) is { } changed)
            BreakerChanged(changed);
    }

    /// <summary>Logs and publishes a change of the breaker's state.</summary>
    private void BreakerChanged(BreakerState state)
    {
        LogBreaker(logger, Kind, state, _queue.Count);
        Publish(state switch { BreakerState.Open => "breaker-open", BreakerState.HalfOpen => "breaker-half-open", _ => "breaker-closed" });
    }

    private static (string RunId, string TaskId, int Attempt) AttemptKey(WorkItem item) => (item.RunId, item.TaskId, item.Attempt);

    /// <summary>Work waiting for a worker, with its result-cache key (computed once, on arrival).</summary>
    private readonly record struct Queued(WorkItem Item, string? Key);

    private void ReportGauge() => AviaryGauges.Pool(Kind, new(_queue.Count, _workers, _busy, _breaker.State));

    private void Pump()
    {
        var now = clock.Now;
        ReleaseStuckProbe(now);
        var breaker = _breaker.State;
        while (_busy < _workers && _queue.Count > 0 && _breaker.TryAcquire(now))
        {
            if (breaker != _breaker.State)
            {
                // Its recovery time passed: the breaker lets a probe through.
                breaker = _breaker.State;
                BreakerChanged(breaker);
            }
            // A half-open breaker lets exactly one probe through; otherwise share the queue out.
            var size = _breaker.State == BreakerState.HalfOpen ? 1 : Math.Clamp(_queue.Count / _workers, 1, MaxBatch);
            var batch = new Queued[Math.Min(size, _queue.Count)];
            for (var i = 0; i < batch.Length; i++)
                batch[i] = _queue.Dequeue();
            var progress = new BatchProgress(batch, now);
            for (var i = 0; i < batch.Length; i++)
                _running[AttemptKey(batch[i].Item)] = (progress, i);
            if (_breaker.State == BreakerState.HalfOpen)
                _probe = AttemptKey(batch[0].Item);
            _busy++;
            Start(batch, progress);
        }
        if (_queue.Count > 0 && _breaker.RetryAt is { } retryAt)
        {
            var due = timing.Value.DelayUntil(retryAt, now);
            _breakerTimer ??= this.RegisterGrainTimer(_ =>
            {
                Pump();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
            _breakerTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Start(Queued[] batch, BatchProgress progress)
    {
        registry.TryGet(Kind, out var executor);
        var self = this.AsReference<IAgentPoolGrain>();
        // Off the grain's scheduler: the batch runs on a worker thread of its own and its end
        // comes back as a call on this grain.
        _ = Task.Run(async () =>
        {
            var done = await WorkerThread.RunAsync(() => RunBatchAsync(executor, batch, progress, clock), "aviary-agent");
            await self.CompletedAsync(done);
        });
    }

    private static async Task<CompletedWork[]> RunBatchAsync(IAgentExecutor executor, Queued[] batch, BatchProgress progress, AviaryClock clock)
    {
        var done = new CompletedWork[batch.Length];
        // One timeout source for the batch, re-armed per item: a timer per task would cost more than a no-op task.
        var timeout = new CancellationTokenSource();
        for (var i = 0; i < batch.Length; i++)
        {
            var (item, key) = batch[i];
            if (!timeout.TryReset())
            {
                timeout.Dispose();
                timeout = new CancellationTokenSource();
            }
            timeout.CancelAfter(item.Timeout);
            progress.Begin(i, clock.Now);
            var meter = ResourceMeter.Start();
            AgentResult result;
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
                Use = meter.Stop(),
            };
            done[i] = new CompletedWork(item, outcome, result.Succeeded ? key : null);
        }
        timeout.Dispose();
        progress.Begin(batch.Length, clock.Now);
        return done;
    }

    /// <summary>
    /// Where a worker is in its batch, written by the worker and read by the pool: which attempt
    /// runs and since when. An attempt the worker has passed has ended (its answer is on the way);
    /// the one running, and every one waiting behind it, is stuck once the running one is past its
    /// timeout plus <see cref="StuckGrace"/> (its agent ignores its cancellation).
    /// </summary>
    private sealed class BatchProgress(Queued[] batch, DateTimeOffset since)
    {
        private readonly TimeSpan[] _timeouts = [.. batch.Select(q => q.Item.Timeout)];
        private int _current;
        private long _startedTicks = since.UtcTicks;

        public DateTimeOffset Since { get; } = since;

        public void Begin(int index, DateTimeOffset now)
        {
            Volatile.Write(ref _startedTicks, now.UtcTicks);
            Volatile.Write(ref _current, index);
        }

        public bool IsStuck(DateTimeOffset now, int position)
        {
            var current = Volatile.Read(ref _current);
            if (current > position || current >= _timeouts.Length)
                return false;
            var started = new DateTimeOffset(Volatile.Read(ref _startedTicks), TimeSpan.Zero);
            return now > started + _timeouts[current] + StuckGrace;
        }
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
        Publish("scaled");
    }

    /// <summary>A live feed: published without waiting, and a full queue only loses the event.</summary>
    private void Publish(string kind) =>
        this.GetStreamProvider(Names.StreamProvider)
            .GetStream<AgentPoolEvent>(StreamId.Create(Names.AgentEvents, Kind))
            .OnNextAsync(new AgentPoolEvent { Agent = Kind, Kind = kind, Workers = _workers, Queued = _queue.Count, Breaker = _breaker.State, At = clock.Now })
            .Ignore();

    private void Report(IReadOnlyCollection<CompletedWork> work)
    {
        foreach (var run in work.GroupBy(w => w.Item.RunId))
            GrainFactory.GetGrain<IWorkflowGrain>(run.Key).ReportAsync(run.Select(w => w.Outcome).ToArray()).Ignore();
    }
}

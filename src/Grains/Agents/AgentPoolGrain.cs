using Aviary.Agents;
using Aviary.Errors;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Aviary.Grains.Agents;

/// <summary>
/// The Orleans shell of one agent kind's <see cref="AgentPool"/> (key: the kind), which decides
/// (its remarks hold the deadline rule). The grain hands the pool its work, runs the batches the
/// pool starts on worker threads of their own (<see cref="BatchRunner"/>), each batch's end coming
/// back as one call on this grain; tells each run its answers one-way, so a pool never waits on a
/// workflow; wakes itself when a deadline or the breaker's recovery is due; and keeps the kind's
/// totals.
/// </summary>
public sealed partial class AgentPoolGrain(
    AgentRegistry registry,
    AviaryClock clock,
    IOptions<AgentPoolOptions> options,
    IOptions<GrainTimingOptions> timing,
    [PersistentState("agent-pool", Names.Storage)] IPersistentState<AgentPoolTotals> totals,
    ILogger<AgentPoolGrain> logger) : Grain, IAgentPoolGrain
{
    private AgentPool? _pool;
    private IGrainTimer? _wakeTimer;

    private string Kind => this.GetPrimaryKeyString();

    private AgentPool Pool => _pool ??= new AgentPool(options.Value, BreakerChanged);

    Task IAgentPoolGrain.EnqueueAsync(WorkItem[] items)
    {
        foreach (var item in items)
        {
            if (item.Timeout <= TimeSpan.Zero)
                throw new AviaryValidationException("timeout", $"must be positive (task '{item.TaskId}' of run '{item.RunId}' has {item.Timeout})");
        }
        var answered = new List<CompletedWork>();
        if (!registry.TryGet(Kind, out var executor))
        {
            answered.AddRange(items.Select(item => new CompletedWork(item, new TaskOutcome
            {
                TaskId = item.TaskId,
                Attempt = item.Attempt,
                ErrorKind = ErrorKinds.UnknownAgent,
                Error = $"this silo has no executor for agent kind '{Kind}'",
            }, null)));
        }
        else
        {
            foreach (var item in items)
            {
                if (Pool.Enqueue(item, CacheKey(executor, item)) is { } cached)
                {
                    answered.Add(new CompletedWork(item, cached, null));
                    CountCacheHit();
                }
            }
        }
        Report(answered);
        Settle();
        return Task.CompletedTask;
    }

    Task<AgentPoolView> IAgentPoolGrain.GetAsync() => Task.FromResult(new AgentPoolView
    {
        Agent = Kind,
        Workers = Pool.Workers,
        Busy = Pool.Busy,
        Queued = Pool.Queued,
        Breaker = Pool.Breaker,
        Succeeded = totals.State.Succeeded,
        Failed = totals.State.Failed,
        CacheHits = totals.State.CacheHits,
        Use = totals.State.Use,
        MinWorkers = options.Value.MinWorkers,
        MaxWorkers = options.Value.MaxWorkers,
    });

    Task<HeldWork[]> IAgentPoolGrain.HoldsAsync(string runId, AttemptRef[] attempts) => Task.FromResult(Pool.Holds(runId, attempts));

    Task IAgentPoolGrain.ForgetAsync(string runId)
    {
        Pool.Forget(runId);
        Settle();
        return Task.CompletedTask;
    }

    Task IAgentPoolGrain.CompletedAsync(Guid batch, CompletedWork[] work)
    {
        var answers = Pool.Complete(batch, work, clock.Now);
        CountUse(work);
        Count(answers);
        Report(answers);
        Settle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// After every change: answer what is past its deadline, size the pool, hand batches to idle
    /// workers, and wake again when something is due.
    /// </summary>
    private void Settle()
    {
        var now = clock.Now;
        var timedOut = Pool.TimeOut(now);
        Count(timedOut);
        Report(timedOut);
        if (Pool.Scale() is { } scaled)
        {
            LogScaled(logger, Kind, scaled.From, scaled.To, Pool.Queued);
            Publish("scaled");
        }
        foreach (var batch in Pool.Start(now))
            Run(batch);
        ArmWake(now);
        AviaryGauges.Pool(Kind, new(Pool.Queued, Pool.Workers, Pool.Busy, Pool.Breaker));
    }

    /// <summary>Off the grain's scheduler: the batch runs on a worker thread of its own, and its end comes back as a call on this grain.</summary>
    private void Run(AgentBatch batch)
    {
        registry.TryGet(Kind, out var executor);
        var self = this.AsReference<IAgentPoolGrain>();
        var time = clock.Time;
        _ = Task.Run(async () =>
        {
            var done = await WorkerThread.RunAsync(() => BatchRunner.RunAsync(executor!, batch, time), "aviary-agent");
            await self.CompletedAsync(batch.Id, done);
        });
    }

    private void ArmWake(DateTimeOffset now)
    {
        if (Pool.NextWakeAt(now) is not { } wake)
        {
            _wakeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        _wakeTimer ??= this.RegisterGrainTimer(_ =>
        {
            Settle();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        _wakeTimer.Change(timing.Value.DelayUntil(wake, now), Timeout.InfiniteTimeSpan);
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

    /// <summary>Logs and publishes a change of the breaker's state.</summary>
    private void BreakerChanged(BreakerState state)
    {
        LogBreaker(logger, Kind, state, Pool.Queued);
        Publish(state switch { BreakerState.Open => "breaker-open", BreakerState.HalfOpen => "breaker-half-open", _ => "breaker-closed" });
    }

    /// <summary>A live feed: published without waiting, and a full queue only loses the event.</summary>
    private void Publish(string kind) =>
        this.GetStreamProvider(Names.StreamProvider)
            .GetStream<AgentPoolEvent>(StreamId.Create(Names.AgentEvents, Kind))
            .OnNextAsync(new AgentPoolEvent { Agent = Kind, Kind = kind, Workers = Pool.Workers, Queued = Pool.Queued, Breaker = Pool.Breaker, At = clock.Now })
            .Ignore();

    private void Report(IReadOnlyCollection<CompletedWork> work)
    {
        foreach (var run in work.GroupBy(w => w.Item.RunId))
            GrainFactory.GetGrain<IWorkflowGrain>(run.Key).ReportAsync(run.Select(w => w.Outcome).ToArray()).Ignore();
    }
}

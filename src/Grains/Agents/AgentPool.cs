using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// One agent kind's pool, without Orleans: a queue by priority, workers scaled between
/// <see cref="AgentPoolOptions.MinWorkers"/> and <see cref="AgentPoolOptions.MaxWorkers"/> by
/// queue depth, the <see cref="CircuitBreaker"/> that decides what may start (while it is open,
/// work waits in the queue instead of failing), a <see cref="ResultCache"/>, and batches for
/// workers (bigger when the queue is deep; one attempt, the probe, when the breaker is half-open).
/// </summary>
/// <remarks>
/// The pool owns every attempt's deadline, and the rule is: an attempt's deadline is the moment a
/// worker begins it plus its task's timeout; time waiting in the queue (busy workers, an open
/// breaker) does not count. At the deadline the pool gives up on the attempt and answers it as a
/// <see cref="ErrorKinds.Timeout"/> at once, whether or not its agent returns: it cancels the
/// attempt's token, counts a failure with the breaker (a half-open breaker's probe so opens it
/// again), and takes back the attempts of that batch not begun, for other workers. What the agent
/// returns later is not answered twice. The executor (<see cref="BatchRunner"/>) only obeys its
/// token, and a run times no attempt itself: it only notices attempts lost with a pool's silo.
/// </remarks>
public sealed class AgentPool
{
    /// <summary>The most attempts one worker takes at once.</summary>
    public const int MaxBatch = 256;

    private readonly AgentPoolOptions _options;
    private readonly Action<BreakerState>? _breakerChanged;
    private readonly PriorityQueue<QueuedWork, (TaskPriority Priority, long Sequence)> _queue = new();
    private readonly CircuitBreaker _breaker;
    private readonly ResultCache _cache;
    private readonly Dictionary<Guid, AgentBatch> _batches = [];
    // Attempts handed to a worker and not answered yet, with their batch.
    private readonly Dictionary<AttemptKey, AgentBatch> _held = [];
    private long _sequence;

    /// <param name="breakerChanged">Hears every change of the breaker's state.</param>
    public AgentPool(AgentPoolOptions options, Action<BreakerState>? breakerChanged = null)
    {
        _options = options;
        _breakerChanged = breakerChanged;
        _breaker = new CircuitBreaker(options.Breaker);
        _cache = new ResultCache(options.CacheCapacity);
        Workers = options.MinWorkers;
    }

    public int Workers { get; private set; }

    /// <summary>Workers running a batch.</summary>
    public int Busy => _batches.Count;

    public int Queued => _queue.Count;

    public BreakerState Breaker => _breaker.State;

    /// <summary>Queues an attempt, or answers it at once from the result cache (null: queued).</summary>
    public TaskOutcome? Enqueue(WorkItem item, string? cacheKey)
    {
        if (cacheKey is not null && _cache.TryGet(cacheKey, out var cached))
            return new TaskOutcome { TaskId = item.TaskId, Attempt = item.Attempt, Succeeded = true, ResultRef = cached, FromCache = true };
        var sequence = _sequence++;
        _queue.Enqueue(new QueuedWork(item, cacheKey, sequence), (item.Priority, sequence));
        return null;
    }

    /// <summary>Drops the queued attempts of a run (what a worker already has runs on; its answer is ignored by the run).</summary>
    public void Forget(string runId)
    {
        var kept = _queue.UnorderedItems.Where(q => q.Element.Item.RunId != runId).ToArray();
        if (kept.Length == _queue.Count)
            return;
        _queue.Clear();
        foreach (var (element, priority) in kept)
            _queue.Enqueue(element, priority);
    }

    /// <summary>Where this pool has each of <paramref name="attempts"/> of run <paramref name="runId"/>.</summary>
    public HeldWork[] Holds(string runId, IReadOnlyList<AttemptRef> attempts)
    {
        var queued = new HashSet<AttemptRef>();
        foreach (var (waiting, _) in _queue.UnorderedItems)
        {
            if (waiting.Item.RunId == runId)
                queued.Add(new AttemptRef(waiting.Item.TaskId, waiting.Item.Attempt));
        }
        var held = new HeldWork[attempts.Count];
        for (var i = 0; i < held.Length; i++)
        {
            var (taskId, attempt) = attempts[i];
            held[i] = _held.TryGetValue(new AttemptKey(runId, taskId, attempt), out var batch) ? HeldWork.Running(batch.Since)
                : queued.Contains(attempts[i]) ? HeldWork.Queued
                : HeldWork.NotHeld;
        }
        return held;
    }

    /// <summary>
    /// Workers follow demand at once on the way up, and come down only when the queue is empty.
    /// Returns the change, if any.
    /// </summary>
    public (int From, int To)? Scale()
    {
        var target = Math.Clamp(Busy + Queued, _options.MinWorkers, _options.MaxWorkers);
        if (target == Workers || (target < Workers && Queued > 0))
            return null;
        var from = Workers;
        Workers = target;
        return (from, target);
    }

    /// <summary>
    /// Batches for the idle workers, as far as the breaker lets work start: the queue shared out
    /// among the workers, or, half-open, the one probe.
    /// </summary>
    public List<AgentBatch> Start(DateTimeOffset now)
    {
        var started = new List<AgentBatch>();
        while (Busy < Workers && _queue.TryPeek(out var next, out _))
        {
            var before = _breaker.State;
            var allowed = _breaker.TryAcquire(next.Key, now);
            if (_breaker.State != before)
                _breakerChanged?.Invoke(_breaker.State);
            if (!allowed)
                break;
            var size = _breaker.State == BreakerState.HalfOpen ? 1 : Math.Clamp(Queued / Workers, 1, MaxBatch);
            var items = new QueuedWork[Math.Min(size, Queued)];
            for (var i = 0; i < items.Length; i++)
                items[i] = _queue.Dequeue();
            var batch = new AgentBatch(items, now);
            _batches[batch.Id] = batch;
            foreach (var item in items)
                _held[item.Key] = batch;
            started.Add(batch);
        }
        return started;
    }

    /// <summary>
    /// Gives up on every attempt past its deadline (see the remarks): returns their answers, and
    /// queues again the attempts their batches had not begun.
    /// </summary>
    public List<CompletedWork> TimeOut(DateTimeOffset now)
    {
        var answers = new List<CompletedWork>();
        foreach (var batch in _batches.Values)
        {
            if (!batch.TryGiveUp(now, out var index, out var takenBack))
                continue;
            foreach (var back in takenBack)
                Requeue(back, batch);
            var item = batch.Items[index].Item;
            if (!_held.Remove(AttemptKey.Of(item)))
                continue;
            var outcome = new TaskOutcome
            {
                TaskId = item.TaskId,
                Attempt = item.Attempt,
                ErrorKind = ErrorKinds.Timeout,
                Error = $"ran longer than {Durations.Format(item.Timeout)}",
            };
            Record(item, outcome, now);
            answers.Add(new CompletedWork(item, outcome, null));
        }
        return answers;
    }

    /// <summary>
    /// A worker's batch has ended with <paramref name="work"/>: returns the answers still owed
    /// (an attempt answered at its deadline is not answered again). A batch this pool does not know
    /// (started by an earlier activation) is answered in full; its runs ignore what they no longer wait for.
    /// </summary>
    public List<CompletedWork> Complete(Guid batchId, IReadOnlyList<CompletedWork> work, DateTimeOffset now)
    {
        var known = _batches.Remove(batchId, out var batch);
        var answers = new List<CompletedWork>(work.Count);
        foreach (var done in work)
        {
            if (known && !_held.Remove(AttemptKey.Of(done.Item)))
                continue;
            if (done.Outcome.Succeeded && done.CacheKey is not null)
                _cache.Add(done.CacheKey, done.Outcome.ResultRef);
            Record(done.Item, done.Outcome, now);
            answers.Add(done);
        }
        if (batch is not null)
        {
            // Attempts its worker never reached (it stopped short): they wait for another.
            foreach (var item in batch.Items)
                Requeue(item, batch);
        }
        return answers;
    }

    /// <summary>When the pool next needs attention unasked: an open breaker's probe, or an attempt's deadline.</summary>
    public DateTimeOffset? NextWakeAt(DateTimeOffset now)
    {
        var next = Queued > 0 ? _breaker.RetryAt : null;
        foreach (var batch in _batches.Values)
        {
            if (batch.NextDeadline(now) is { } deadline && (next is null || deadline < next))
                next = deadline;
        }
        return next;
    }

    /// <summary>Back to its place in the queue, if <paramref name="from"/> still holds it unanswered.</summary>
    private void Requeue(QueuedWork work, AgentBatch from)
    {
        if (!_held.TryGetValue(work.Key, out var holder) || holder != from)
            return;
        _held.Remove(work.Key);
        _queue.Enqueue(work, (work.Item.Priority, work.Sequence));
    }

    private void Record(WorkItem item, TaskOutcome outcome, DateTimeOffset now)
    {
        if (_breaker.Record(AttemptKey.Of(item), outcome.Succeeded, outcome.ErrorKind, now) is { } changed)
            _breakerChanged?.Invoke(changed);
    }
}

namespace Aviary.Grains.Agents;

/// <summary>
/// Attempts one worker runs in order, shared by the worker's thread and its pool. The worker
/// begins and ends each attempt here; the pool reads which attempt runs since when, and gives up on
/// one past its deadline: it cancels the attempt's token and takes back every attempt the worker
/// has not begun. A lock makes each of those one step, so the pool never gives up on an attempt the
/// worker has already ended, and the worker never begins one the pool took back.
/// </summary>
public sealed class AgentBatch
{
    private readonly Lock _gate = new();
    // The shortest timeout among the attempts from each index on: how soon one not begun yet can reach its deadline.
    private readonly TimeSpan[] _shortestFrom;
    private CancellationTokenSource _cancellation = new();
    private int _index = -1;
    private bool _running;
    private bool _givenUp;
    private DateTimeOffset _startedAt;
    private int _end;

    public AgentBatch(QueuedWork[] items, DateTimeOffset since)
    {
        Items = items;
        Since = since;
        _end = items.Length;
        _shortestFrom = new TimeSpan[items.Length + 1];
        _shortestFrom[items.Length] = TimeSpan.MaxValue;
        for (var i = items.Length - 1; i >= 0; i--)
            _shortestFrom[i] = items[i].Item.Timeout < _shortestFrom[i + 1] ? items[i].Item.Timeout : _shortestFrom[i + 1];
    }

    /// <summary>Names the batch when its worker reports its end (a report may reach a later activation of the pool).</summary>
    public Guid Id { get; } = Guid.NewGuid();

    public QueuedWork[] Items { get; }

    /// <summary>When the pool handed the batch to its worker.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>
    /// The worker begins attempt <paramref name="index"/>, unless the pool took it back; the token
    /// is cancelled if the pool gives up on the attempt.
    /// </summary>
    public bool TryBegin(int index, DateTimeOffset now, out CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (index >= _end)
            {
                cancellation = CancellationToken.None;
                return false;
            }
            if (!_cancellation.TryReset())
                _cancellation = new CancellationTokenSource();
            _index = index;
            _running = true;
            _startedAt = now;
            cancellation = _cancellation.Token;
            return true;
        }
    }

    /// <summary>The worker's attempt has returned, whatever it returned.</summary>
    public void End()
    {
        lock (_gate)
            _running = false;
    }

    /// <summary>
    /// The pool gives up on the running attempt if it is past its deadline (begun plus its timeout)
    /// at <paramref name="now"/>: cancels its token and takes back the attempts not begun
    /// (<paramref name="takenBack"/>). False when nothing runs past its deadline.
    /// </summary>
    public bool TryGiveUp(DateTimeOffset now, out int index, out QueuedWork[] takenBack)
    {
        CancellationTokenSource cancellation;
        lock (_gate)
        {
            if (!_running || _givenUp || now < _startedAt + Items[_index].Item.Timeout)
            {
                index = -1;
                takenBack = [];
                return false;
            }
            _givenUp = true;
            index = _index;
            takenBack = Items[(_index + 1).._end];
            _end = _index + 1;
            cancellation = _cancellation;
        }
        // Outside the lock (the agent's callbacks run here); no later attempt can begin and reset it.
        cancellation.Cancel();
        return true;
    }

    /// <summary>
    /// The earliest time an attempt of this batch may reach its deadline: the running one's, and
    /// for those not begun (none begins before <paramref name="now"/>), now plus the shortest of
    /// their timeouts. Null when none is left to judge.
    /// </summary>
    public DateTimeOffset? NextDeadline(DateTimeOffset now)
    {
        lock (_gate)
        {
            DateTimeOffset? next = _running && !_givenUp ? _startedAt + Items[_index].Item.Timeout : null;
            var notBegun = _index + 1;
            if (notBegun < _end)
            {
                var soonest = now + _shortestFrom[notBegun];
                if (next is null || soonest < next)
                    next = soonest;
            }
            return next;
        }
    }
}

using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// A circuit breaker over attempt outcomes, with the time passed in. Closed: everything runs.
/// Open: nothing runs (tasks wait) until the recovery timeout. Half-open: one probe runs; its
/// success closes the breaker, its failure opens it again.
/// </summary>
public sealed class CircuitBreaker(CircuitBreakerOptions options)
{
    private readonly Queue<bool> _window = new();
    private int _consecutiveFailures;
    private bool _probeInFlight;

    public BreakerState State { get; private set; } = BreakerState.Closed;

    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>Whether one more attempt may start now; in half-open, only the probe.</summary>
    public bool TryAcquire(DateTimeOffset now)
    {
        switch (State)
        {
            case BreakerState.Closed:
                return true;
            case BreakerState.Open when now >= OpenedAt + options.RecoveryTimeout:
                State = BreakerState.HalfOpen;
                _probeInFlight = true;
                return true;
            case BreakerState.HalfOpen when !_probeInFlight:
                _probeInFlight = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>When an open breaker will let a probe through.</summary>
    public DateTimeOffset? RetryAt => State == BreakerState.Open ? OpenedAt + options.RecoveryTimeout : null;

    /// <summary>
    /// Records an attempt's outcome; returns the new state when it changed. Half-open, only the
    /// probe's outcome counts (<paramref name="probe"/>): a late one of an attempt that started
    /// before the breaker opened says nothing about whether the agent has recovered.
    /// </summary>
    public BreakerState? Record(bool succeeded, DateTimeOffset now, bool probe = true)
    {
        var before = State;
        if (State == BreakerState.HalfOpen)
        {
            if (!probe)
                return null;
            _probeInFlight = false;
            if (succeeded)
                Close();
            else
                Open(now);
            return State != before ? State : null;
        }
        if (State == BreakerState.Open)
            return null; // a late outcome of an attempt started before it opened

        _window.Enqueue(succeeded);
        while (_window.Count > options.WindowSize)
            _window.Dequeue();
        _consecutiveFailures = succeeded ? 0 : _consecutiveFailures + 1;
        var failures = _window.Count(ok => !ok);
        if (_consecutiveFailures >= options.ConsecutiveFailures
            || (_window.Count >= options.MinimumThroughput && failures >= options.FailureRateThreshold * _window.Count))
            Open(now);
        return State != before ? State : null;
    }

    private void Open(DateTimeOffset now)
    {
        State = BreakerState.Open;
        OpenedAt = now;
    }

    private void Close()
    {
        State = BreakerState.Closed;
        OpenedAt = null;
        _window.Clear();
        _consecutiveFailures = 0;
    }
}

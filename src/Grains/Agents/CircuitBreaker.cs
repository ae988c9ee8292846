using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// A circuit breaker over one agent kind's attempts, with the time passed in. Closed: everything
/// runs; it opens after <see cref="CircuitBreakerOptions.ConsecutiveFailures"/> failures in a row
/// or a failure rate over its window. Open: nothing starts (work waits in the pool's queue) until
/// <see cref="CircuitBreakerOptions.RecoveryTimeout"/> has passed. Half-open: exactly one attempt,
/// the probe, runs; its success closes the breaker, its failure (its timeout included) opens it
/// again. The breaker owns its probe: it names the attempt it let through, and only that
/// attempt's outcome moves it out of half-open (a late outcome of an attempt started before it
/// opened proves nothing). Failures caused by the input (<see cref="ErrorKinds.IsDeterministic"/>)
/// are not counted: bad input says nothing about the agent; a probe that fails so frees the way
/// for the next probe. Every transition is in <see cref="On"/>.
/// </summary>
public sealed class CircuitBreaker(CircuitBreakerOptions options)
{
    private readonly Queue<bool> _window = new();
    private int _consecutiveFailures;

    public BreakerState State { get; private set; } = BreakerState.Closed;

    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>The attempt a half-open breaker let through, while it runs.</summary>
    public AttemptKey? Probe { get; private set; }

    /// <summary>When an open breaker will let a probe through.</summary>
    public DateTimeOffset? RetryAt => State == BreakerState.Open ? OpenedAt + options.RecoveryTimeout : null;

    /// <summary>Whether <paramref name="attempt"/> may start now; half-open, only one, which becomes the probe.</summary>
    public bool TryAcquire(AttemptKey attempt, DateTimeOffset now)
    {
        if (State == BreakerState.Open && now >= RetryAt)
            On(BreakerEvent.RecoveryDue, now);
        switch (State)
        {
            case BreakerState.Closed:
                return true;
            case BreakerState.HalfOpen when Probe is null:
                Probe = attempt;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Records how <paramref name="attempt"/> ended; returns the new state when it changed.</summary>
    public BreakerState? Record(AttemptKey attempt, bool succeeded, string? errorKind, DateTimeOffset now)
    {
        // Half-open, only the probe's outcome says whether the agent has recovered.
        if (State == BreakerState.HalfOpen && Probe != attempt)
            return null;
        var before = State;
        On(succeeded ? BreakerEvent.Succeeded : ErrorKinds.IsDeterministic(errorKind) ? BreakerEvent.FailedOnInput : BreakerEvent.Failed, now);
        return State != before ? State : null;
    }

    /// <summary>Every transition of the breaker: its state by event.</summary>
    private void On(BreakerEvent e, DateTimeOffset now)
    {
        switch (State, e)
        {
            case (BreakerState.Closed, BreakerEvent.Succeeded):
                Count(succeeded: true);
                break;
            case (BreakerState.Closed, BreakerEvent.Failed):
                Count(succeeded: false);
                if (Tripped)
                    Open(now);
                break;
            case (BreakerState.Open, BreakerEvent.RecoveryDue):
                State = BreakerState.HalfOpen;
                Probe = null;
                break;
            case (BreakerState.HalfOpen, BreakerEvent.Succeeded):
                Close();
                break;
            case (BreakerState.HalfOpen, BreakerEvent.Failed):
                Open(now);
                break;
            case (BreakerState.HalfOpen, BreakerEvent.FailedOnInput):
                Probe = null;
                break;
            // Closed, input failures count for nothing; open, outcomes are late ones of attempts
            // started before it opened.
        }
    }

    private bool Tripped =>
        _consecutiveFailures >= options.ConsecutiveFailures
        || (_window.Count >= options.MinimumThroughput && _window.Count(ok => !ok) >= options.FailureRateThreshold * _window.Count);

    private void Count(bool succeeded)
    {
        _window.Enqueue(succeeded);
        while (_window.Count > options.WindowSize)
            _window.Dequeue();
        _consecutiveFailures = succeeded ? 0 : _consecutiveFailures + 1;
    }

    private void Open(DateTimeOffset now)
    {
        State = BreakerState.Open;
        OpenedAt = now;
        Probe = null;
    }

    private void Close()
    {
        State = BreakerState.Closed;
        OpenedAt = null;
        Probe = null;
        _window.Clear();
        _consecutiveFailures = 0;
    }
}

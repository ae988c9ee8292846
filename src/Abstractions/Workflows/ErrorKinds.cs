namespace Aviary.Workflows;

/// <summary>
/// The error kinds the engine and its agents name, and the one rule about them: which failures are
/// deterministic. A deterministic failure is the input's fault (it is invalid, or the work on it
/// overflows), so every attempt on the same input fails the same way: retrying it only delays the
/// dead letter, and it says nothing about whether the agent is healthy. The workflow therefore
/// fails such a task at once whatever its retry policy, and the agent kind's circuit breaker does
/// not count it. Everything else (a timeout, a missing file, an agent's own trouble) may pass on
/// another attempt and is retried per the task's policy.
/// </summary>
public static class ErrorKinds
{
    /// <summary>The task's input is missing something or names something that is not there.</summary>
    public const string InvalidInput = "InvalidInput";

    /// <summary>The data failed a validator's checks (schema, drift): the same data fails again.</summary>
    public const string ValidationFailed = "ValidationFailed";

    /// <summary>The attempt did not answer within its task's timeout (or was lost with its agent pool).</summary>
    public const string Timeout = "Timeout";

    /// <summary>The attempt was running when its run stopped (a silo restart).</summary>
    public const string Interrupted = "Interrupted";

    /// <summary>The silo holding the pool has no executor for the agent kind.</summary>
    public const string UnknownAgent = "UnknownAgent";

    /// <summary>
    /// Deterministic kinds: the agents' own, and the exceptions (an agent that throws fails with the
    /// exception's type name) that only bad input or arithmetic on it raise.
    /// </summary>
    private static readonly HashSet<string> Deterministic = new(StringComparer.Ordinal)
    {
        InvalidInput,
        ValidationFailed,
        nameof(ArgumentException),
        nameof(ArgumentNullException),
        nameof(ArgumentOutOfRangeException),
        nameof(FormatException),
        nameof(OverflowException),
        nameof(DivideByZeroException),
        nameof(NotSupportedException),
    };

    /// <summary>Whether a failure of <paramref name="kind"/> fails the same way on every attempt (see <see cref="ErrorKinds"/>).</summary>
    public static bool IsDeterministic(string? kind) => kind is not null && Deterministic.Contains(kind);
}

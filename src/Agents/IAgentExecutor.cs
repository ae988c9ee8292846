using Aviary.Workflows;

namespace Aviary.Agents;

/// <summary>Runs one kind of agent task. Plain C#: usable without Orleans.</summary>
public interface IAgentExecutor
{
    /// <summary>The agent kind a plan names, e.g. <c>noop</c>.</summary>
    string Kind { get; }

    /// <summary>Part of the result-cache key: bump it when the same input would give another result.</summary>
    string Version { get; }

    Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// What besides kind, version and input a result depends on, folded into its result-cache key;
    /// "" when the input says it all. An agent that reads a file names the file's state (size, last
    /// write), so a changed file is read again; one whose result is a file of the run names the
    /// run, so another run gets files of its own rather than a reference into someone else's.
    /// </summary>
    string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => "";
}

/// <summary>What a task asks of its agent.</summary>
public sealed record AgentRequest(string RunId, string TaskId, int Attempt, IReadOnlyDictionary<string, string> Input);

/// <summary>
/// How a task ended. A failure carries an error kind (what retry policies and non-retryable lists
/// name; <see cref="ErrorKinds"/> says which kinds are never retried) and a message; a success may
/// point at where its output lives.
/// </summary>
public sealed record AgentResult(bool Succeeded, string? ResultRef, string? ErrorKind, string? Error)
{
    public static AgentResult Ok(string? resultRef = null) => new(true, resultRef, null, null);

    public static AgentResult Fail(string errorKind, string error) => new(false, null, errorKind, error);

    /// <summary>A failure the input causes: not retried, and not held against the agent's circuit breaker.</summary>
    public static AgentResult InvalidInput(string error) => Fail(ErrorKinds.InvalidInput, error);
}

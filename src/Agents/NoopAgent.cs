namespace Aviary.Agents;

/// <summary>Succeeds at once: the benchmarks' agent.</summary>
public sealed class NoopAgent : IAgentExecutor
{
    public string Kind => "noop";

    public string Version => "1";

    public Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(AgentResult.Ok());
}

using System.Globalization;

namespace Aviary.Agents;

/// <summary>
/// For tests and demos of retries: waits <c>input.delayMs</c> (only on the first
/// <c>input.delayAttempts</c> attempts when given), then fails with <c>input.failKind</c>
/// (default <c>Simulated</c>) while the attempt number is at most <c>input.failAttempts</c>
/// (<c>always</c> fails every attempt).
/// </summary>
public sealed class SimulatedAgent : IAgentExecutor
{
    public string Kind => "simulated";

    public string Version => "1";

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var delays = !request.Input.TryGetValue("delayAttempts", out var delayAttempts)
            || (int.TryParse(delayAttempts, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && request.Attempt <= d);
        if (delays && request.Input.TryGetValue("delayMs", out var delay) && int.TryParse(delay, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0)
            await Task.Delay(ms, cancellationToken);
        var failKind = request.Input.GetValueOrDefault("failKind", "Simulated");
        var failAttempts = request.Input.GetValueOrDefault("failAttempts", "0");
        var fails = failAttempts == "always"
            || (int.TryParse(failAttempts, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && request.Attempt <= n);
        return fails
            ? AgentResult.Fail(failKind, $"simulated failure of attempt {request.Attempt}")
            : AgentResult.Ok($"simulated/{request.RunId}/{request.TaskId}");
    }
}

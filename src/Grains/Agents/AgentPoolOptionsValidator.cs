using Microsoft.Extensions.Options;

namespace Aviary.Grains.Agents;

/// <summary>Names the first bad pool setting, so a misconfigured silo stops at start with one clear line.</summary>
public sealed class AgentPoolOptionsValidator : IValidateOptions<AgentPoolOptions>
{
    /// <summary>Threads per kind at most: every worker is one.</summary>
    public const int MaxWorkersLimit = 256;

    public ValidateOptionsResult Validate(string? name, AgentPoolOptions options) =>
        FirstFailure(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    public static string? FirstFailure(AgentPoolOptions o)
    {
        const string section = AgentPoolOptions.Section;
        if (o.MinWorkers < 1)
            return $"{section}:MinWorkers: must be at least 1 (got {o.MinWorkers})";
        if (o.MaxWorkers is < 1 or > MaxWorkersLimit)
            return $"{section}:MaxWorkers: must be between 1 and {MaxWorkersLimit} (got {o.MaxWorkers})";
        if (o.MinWorkers > o.MaxWorkers)
            return $"{section}:MinWorkers ({o.MinWorkers}) must not exceed {section}:MaxWorkers ({o.MaxWorkers})";
        if (o.CacheCapacity < 0)
            return $"{section}:CacheCapacity: must not be negative (got {o.CacheCapacity})";
        if (o.Breaker is null)
            return $"{section}:Breaker: must be given";
        return CircuitBreakerOptionsValidator.FirstFailure(o.Breaker, $"{section}:Breaker");
    }
}

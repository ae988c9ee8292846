using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>What one agent kind has done, over every run: kept across restarts (written every few seconds while it changes, and when the pool deactivates).</summary>
[GenerateSerializer, Alias("aviary.AgentPoolTotals")]
public sealed class AgentPoolTotals
{
    [Id(0)] public long Succeeded { get; set; }
    [Id(1)] public long Failed { get; set; }
    [Id(2)] public long CacheHits { get; set; }
    [Id(3)] public ResourceUse Use { get; set; }
}

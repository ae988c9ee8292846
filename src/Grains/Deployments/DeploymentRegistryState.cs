namespace Aviary.Grains.Deployments;

[GenerateSerializer, Alias("aviary.DeploymentRegistryState")]
public sealed class DeploymentRegistryState
{
    [Id(0)] public SortedSet<string> Services { get; set; } = new(StringComparer.Ordinal);
}

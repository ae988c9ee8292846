namespace Aviary.Grains.Models;

[GenerateSerializer, Alias("aviary.ModelRegistryState")]
public sealed class ModelRegistryState
{
    [Id(0)] public SortedSet<string> Models { get; set; } = new(StringComparer.Ordinal);
}

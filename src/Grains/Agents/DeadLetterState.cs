using Aviary.Workflows;

namespace Aviary.Grains.Agents;

[GenerateSerializer, Alias("aviary.DeadLetterState")]
public sealed class DeadLetterState
{
    [Id(0)] public List<DeadLetter> Entries { get; set; } = [];
}

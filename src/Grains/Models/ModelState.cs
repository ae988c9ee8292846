using Aviary.Models;

namespace Aviary.Grains.Models;

[GenerateSerializer, Alias("aviary.ModelState")]
public sealed class ModelState
{
    public const int MaxVersions = 100;
    public const int MaxAliases = 20;
    public const int MaxEvents = 100;

    [Id(0)] public List<ModelVersionView> Versions { get; set; } = [];

    /// <summary>Each version's training reference, by version.</summary>
    [Id(1)] public Dictionary<string, ReferenceProfile> References { get; set; } = [];

    [Id(2)] public Dictionary<string, string> Aliases { get; set; } = [];

    /// <summary>Null until set: a model without a policy is registered and compared, never acted on.</summary>
    [Id(3)] public ModelPolicy? Policy { get; set; }

    [Id(4)] public List<ModelEvent> Events { get; set; } = [];

    /// <summary>The number the next version gets; never reused, even after a removal.</summary>
    [Id(5)] public int NextNumber { get; set; } = 1;
}

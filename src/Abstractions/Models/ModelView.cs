namespace Aviary.Models;

/// <summary>A model as the registry holds it: its versions (oldest first), aliases, policy and its last automatic actions.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelView")]
public sealed record ModelView
{
    [Id(0)] public string Model { get; init; } = "";

    [Id(1)] public ModelVersionView[] Versions { get; init; } = [];

    /// <summary>Alias → version, e.g. champion → v2.</summary>
    [Id(2)] public Dictionary<string, string> Aliases { get; init; } = [];

    [Id(3)] public ModelPolicy Policy { get; init; } = new();

    /// <summary>The last automatic actions and alias moves, newest last.</summary>
    [Id(4)] public ModelEvent[] Events { get; init; } = [];

    /// <summary>Whether a policy was set; until then the monitor does nothing.</summary>
    [Id(5)] public bool HasPolicy { get; init; }

    public ModelVersionView? Find(string version) => Array.Find(Versions, v => v.Version == version);
}

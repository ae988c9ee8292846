namespace Aviary.Agents.Models;

/// <summary>
/// One input of a model and where it sits in the encoded vector: a number takes one slot at
/// <see cref="Offset"/> (a missing one is the training <see cref="Mean"/>), a category one slot
/// per training category, one-hot (a missing or unseen one is all zeros).
/// </summary>
public sealed record CardFeature
{
    public string Name { get; init; } = "";

    /// <summary><c>numeric</c> or <c>category</c> (Aviary.Models.FeatureKinds).</summary>
    public string Kind { get; init; } = "";

    public int Offset { get; init; }

    public double? Mean { get; init; }

    public string[]? Categories { get; init; }

    public int Width => Categories?.Length ?? 1;
}

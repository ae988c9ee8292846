namespace Aviary.Agents.Models;

/// <summary>How a model's input vector is made from its features, for a reader of the card (the features hold the figures).</summary>
public sealed record EncoderDescription
{
    public string Kind { get; init; } = "dense-float-vector";

    public int Length { get; init; }

    /// <summary>What each slot holds: a feature's name, or <c>name=category</c> for a one-hot slot.</summary>
    public string[] Slots { get; init; } = [];

    public string MissingNumber { get; init; } = "training mean";

    public string MissingOrUnknownCategory { get; init; } = "all zeros";
}

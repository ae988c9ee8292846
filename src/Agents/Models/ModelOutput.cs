namespace Aviary.Agents.Models;

/// <summary>One prediction: the regression value or the positive class' probability, and for a binary model its label (<c>true</c> at probability ≥ 0.5, else <c>false</c>).</summary>
public sealed record ModelOutput(double Value, string? Label);

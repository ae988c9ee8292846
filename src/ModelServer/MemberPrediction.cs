namespace Aviary.ModelServer;

/// <summary>One member's answer within an ensemble's.</summary>
public sealed record MemberPrediction(string Version, double Prediction, string? Label);

namespace Aviary.Agents.Models;

/// <summary>Two versions on the same rows: both sets of figures, the metric that decides, whether the challenger wins by the margin, and why, as a sentence.</summary>
public sealed record ComparisonResult(
    ModelMetrics Champion,
    ModelMetrics Challenger,
    string PrimaryMetric,
    double Margin,
    bool ChallengerBetter,
    string Reason);

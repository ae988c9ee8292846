namespace Aviary.Agents.Models;

/// <summary>How a model did on labelled rows: R², MAE and RMSE for regression; AUC, accuracy, F1 and log-loss for binary (threshold 0.5).</summary>
public sealed record ModelMetrics
{
    public long Rows { get; init; }

    public double? R2 { get; init; }

    public double? Mae { get; init; }

    public double? Rmse { get; init; }

    public double? Auc { get; init; }

    public double? Accuracy { get; init; }

    public double? F1 { get; init; }

    public double? LogLoss { get; init; }
}

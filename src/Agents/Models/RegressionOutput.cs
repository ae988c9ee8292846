using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>A regression model's output row.</summary>
public sealed class RegressionOutput
{
    [ColumnName(ModelEvaluation.ScoreColumn)]
    public float Score { get; set; }
}

using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>A binary model's output row.</summary>
public sealed class BinaryOutput
{
    [ColumnName(ModelEvaluation.ProbabilityColumn)]
    public float Probability { get; set; }
}

using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>The input row a prediction engine reads: the encoded feature vector (its length set per model by a schema definition).</summary>
public sealed class EncodedInput
{
    [ColumnName(ArrayDataView.FeaturesColumn)]
    public float[] Features { get; set; } = [];
}

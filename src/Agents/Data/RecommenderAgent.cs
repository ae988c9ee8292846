namespace Aviary.Agents.Data;

/// <summary>
/// <c>recommender</c>: findings from the dataset <c>input.data</c>, with the anomaly detector's
/// (<c>input.anomalies</c>) and the predictor's (<c>input.prediction</c>) results when given.
/// </summary>
public sealed class RecommenderAgent(AgentFiles files) : DatasetAgent(files)
{
    private readonly AgentFiles _files = files;

    public override string Kind => "recommender";

    protected override object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input)
    {
        var duplicates = data.DuplicateRows();
        var anomalies = ResultFiles.Read<ResultFiles.AnomalyResult>(_files, input, "anomalies");
        var prediction = ResultFiles.Read<Prediction>(_files, input, "prediction");
        return new ResultFiles.FindingsResult([.. Recommender.Recommend(Explorer.Profile(data), data.Rows.Count, duplicates, anomalies?.Anomalies, prediction)]);
    }
}

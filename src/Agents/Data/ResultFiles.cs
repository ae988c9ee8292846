using System.Text.Json;

namespace Aviary.Agents.Data;

/// <summary>Reads other agents' JSON results back (the shapes their agents write).</summary>
public static class ResultFiles
{
    public sealed record ProfileResult(int Rows, string[] Issues, ColumnProfile[] Columns);

    public sealed record AggregateResult(string By, string Value, GroupRow[] Groups);

    public sealed record AnomalyResult(double ZThreshold, int Count, Anomaly[] Anomalies);

    public sealed record FindingsResult(Finding[] Findings);

    public static T? Read<T>(AgentFiles files, IReadOnlyDictionary<string, string> input, string key) where T : class
    {
        if (!input.TryGetValue(key, out var reference) || string.IsNullOrWhiteSpace(reference))
            return null;
        var path = files.Result(reference);
        if (!File.Exists(path))
            throw new ArgumentException($"input.{key}: result '{reference}' does not exist");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, DatasetFile.JsonOptions);
    }
}

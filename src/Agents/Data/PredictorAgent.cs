using System.Globalization;

namespace Aviary.Agents.Data;

/// <summary>
/// <c>predictor</c>: linear regression of <c>input.target</c> on <c>input.features</c> (comma-separated;
/// default every other numeric column) of <c>input.data</c>, with <c>input.testFraction</c> (default 0.2)
/// held out and <c>input.seed</c> (default 42) for the split.
/// </summary>
public sealed class PredictorAgent(AgentFiles files) : DatasetAgent(files)
{
    public override string Kind => "predictor";

    protected override object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input)
    {
        var target = input.GetValueOrDefault("target") ?? throw new ArgumentException("input.target is required");
        var features = input.TryGetValue("features", out var list) ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
        var fraction = !input.TryGetValue("testFraction", out var f) ? 0.2
            : double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new ArgumentException($"input.testFraction must be a number between 0 and 1 (got '{f}')");
        var seed = !input.TryGetValue("seed", out var s) ? 42
            : int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ArgumentException($"input.seed must be a whole number (got '{s}')");
        return Predictor.Fit(data, target, features, fraction, seed);
    }
}

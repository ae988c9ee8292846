using System.Globalization;

namespace Aviary.Agents.Data;

/// <summary><c>anomaly-detector</c>: z-score (threshold <c>input.z</c>, default 3) and IQR outliers per numeric column of <c>input.data</c>.</summary>
public sealed class AnomalyDetectorAgent(AgentFiles files) : DatasetAgent(files)
{
    public override string Kind => "anomaly-detector";

    protected override object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input)
    {
        var z = 3.0;
        if (input.TryGetValue("z", out var text) && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out z) || z <= 0))
            throw new ArgumentException("input.z must be a positive number");
        var anomalies = AnomalyDetector.Detect(data, z);
        return new { zThreshold = z, count = anomalies.Count, anomalies };
    }
}

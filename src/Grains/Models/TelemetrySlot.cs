using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>What one version saw in one slot of <see cref="ModelTelemetry.SlotWidth"/>: requests, input counts, label joins, shadow pairs.</summary>
internal sealed class TelemetrySlot(DateTimeOffset start)
{
    /// <summary>Upper edges of the relative-difference bins shadow pairs are counted in; a label pair is 0 (same) or above every edge.</summary>
    public static readonly double[] AgreementEdges = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0];

    public DateTimeOffset Start { get; } = start;
    public long Requests;
    public long ShadowRequests;
    public readonly Dictionary<string, (long[] Counts, long Missing)> Features = new(StringComparer.Ordinal);

    // Labels joined with this version's predictions.
    public long Labels;
    public double AbsError, SquaredError, SumTruth, SumTruthSquared;
    public long Correct, TruePositives, FalsePositives, FalseNegatives;
    public bool Binary;

    // Shadow pairs: this version's copy against the serving version's answer.
    public readonly long[] PairsByDifference = new long[AgreementEdges.Length + 1];
    public double ExtraLatencyMs;

    public void Count(FeatureCounts counts)
    {
        if (!Features.TryGetValue(counts.Name, out var held) || held.Counts.Length != counts.Counts.Length)
            held = (new long[counts.Counts.Length], 0);
        for (var i = 0; i < counts.Counts.Length; i++)
            held.Counts[i] += counts.Counts[i];
        Features[counts.Name] = (held.Counts, held.Missing + counts.Missing);
    }

    public void Label(PredictionRecord prediction, double truth)
    {
        Labels++;
        if (prediction.Label is { } label)
        {
            Binary = true;
            var predicted = label == "true";
            var actual = truth >= 0.5;
            if (predicted == actual)
                Correct++;
            if (predicted && actual)
                TruePositives++;
            else if (predicted)
                FalsePositives++;
            else if (actual)
                FalseNegatives++;
            return;
        }
        var error = prediction.Value - truth;
        AbsError += Math.Abs(error);
        SquaredError += error * error;
        SumTruth += truth;
        SumTruthSquared += truth * truth;
    }

    public void Pair(PredictionRecord shadow, PredictionRecord serving)
    {
        double difference;
        if (shadow.Label is not null || serving.Label is not null)
            difference = shadow.Label == serving.Label ? 0 : double.PositiveInfinity;
        else
        {
            var scale = Math.Max(Math.Abs(shadow.Value), Math.Abs(serving.Value));
            difference = scale == 0 ? 0 : Math.Abs(shadow.Value - serving.Value) / scale;
        }
        var bin = 0;
        while (bin < AgreementEdges.Length && difference > AgreementEdges[bin])
            bin++;
        PairsByDifference[bin]++;
        ExtraLatencyMs += shadow.LatencyMs - serving.LatencyMs;
    }
}

using Aviary.Agents.Models;
using Aviary.Models;
using FeatureDrift = Aviary.Models.FeatureDrift;

namespace Aviary.Grains.Models;

/// <summary>A serving version's live inputs against its training reference, by the model's policy; null when not judged.</summary>
public static class ModelDrift
{
    public static FeatureDrift[]? Judge(ReferenceProfile reference, VersionTelemetry live, ModelPolicy policy)
    {
        if (reference.Features.Length == 0 || live.Requests < policy.MinLiveSamples)
            return null;
        var report = DriftCheck.Compare(reference, live.Features, new DriftThresholds
        {
            MaxPsi = policy.MaxPsi,
            Alpha = policy.Alpha,
            MinLiveCount = policy.MinLiveSamples,
        });
        return [.. report.Features.Select(f => new FeatureDrift
        {
            Feature = f.Feature,
            Psi = f.Psi,
            Band = f.Band,
            Test = f.Test,
            Statistic = f.Statistic,
            PValue = f.PValue,
            Drifted = f.Drifted,
            Live = f.LiveCount,
        })];
    }
}

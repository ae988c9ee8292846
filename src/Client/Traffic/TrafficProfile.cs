using Aviary.Errors;

namespace Aviary.Client.Traffic;

/// <summary>Synthetic traffic for one version: requests per second, error rate and p95 latency.</summary>
public sealed record TrafficProfile(double Rps, double ErrorRate, TimeSpan P95)
{
    public TrafficProfile Validate()
    {
        if (!double.IsFinite(Rps) || Rps <= 0 || Rps > 10_000_000)
            throw new AviaryValidationException("rps", "must be above 0 and at most 10,000,000");
        if (!double.IsFinite(ErrorRate) || ErrorRate < 0 || ErrorRate > 1)
            throw new AviaryValidationException("error-rate", "must be between 0 and 1");
        if (P95 <= TimeSpan.Zero)
            throw new AviaryValidationException("p95", "must be positive");
        return this;
    }
}

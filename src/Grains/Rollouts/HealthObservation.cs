using Aviary.Metrics;

namespace Aviary.Grains.Rollouts;

/// <summary>What a health check saw: the canary's and the stable version's windows, and for a shadow its compared copies.</summary>
public sealed record HealthObservation(MetricsSnapshot Canary, MetricsSnapshot Stable, MetricsSnapshot? Mismatch = null);

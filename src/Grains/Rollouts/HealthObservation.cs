using Aviary.Metrics;
using Aviary.Webhooks;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// What a health check saw: the service metrics grain's comparison of the canary's and the
/// stable version's windows, as it answered it; for a shadow its compared copies; and, when the
/// check would move the rollout to a new stage, what its <c>rollout.confirm-promotion</c> hooks
/// answered (null: not asked, or none).
/// </summary>
public sealed record HealthObservation(MetricsComparison Windows, MetricsSnapshot? Mismatch = null, GateAnswer? Confirmation = null);

using Aviary.Deployments;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Grains.Models;

/// <summary>
/// Everything a monitor check decides on, gathered by <see cref="ModelMonitorGrain"/>: the model,
/// its service's deployment and the candidate's rollout, the live figures, the serving version's
/// drift (null: not judged, too few live requests or no reference), and the retraining run.
/// </summary>
public sealed record MonitorFacts(
    DateTimeOffset Now,
    ModelView Model,
    DeploymentView? Deployment,
    RolloutView? CandidateRollout,
    ModelTelemetryView Telemetry,
    FeatureDrift[]? Drift,
    WorkflowView? RetrainRun);

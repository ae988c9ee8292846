using Aviary.Errors;

namespace Aviary.Webhooks;

/// <summary>The events a webhook can subscribe to; two of them are gating (Aviary waits for the answer).</summary>
public static class WebhookEvents
{
    /// <summary>Before a rollout starts; a hook's refusal refuses the deploy (gating).</summary>
    public const string RolloutStarting = "rollout.starting";
    /// <summary>A rollout began or moved to a new stage.</summary>
    public const string RolloutStage = "rollout.stage";
    /// <summary>Before a rollout moves to a new stage; a refusal holds it there (gating).</summary>
    public const string RolloutConfirmPromotion = "rollout.confirm-promotion";
    public const string RolloutPaused = "rollout.paused";
    public const string RolloutRolledBack = "rollout.rolled-back";
    public const string RolloutSucceeded = "rollout.succeeded";
    public const string RolloutAborted = "rollout.aborted";
    public const string WorkflowCompleted = "workflow.completed";
    public const string WorkflowFailed = "workflow.failed";
    public const string WorkflowDeadLettered = "workflow.dead-lettered";
    /// <summary>A model's live inputs drifted from its training data.</summary>
    public const string ModelDrift = "model.drift";
    /// <summary>A model's retraining workflow started (on drift).</summary>
    public const string ModelRetraining = "model.retraining";
    public const string ModelRetrainFailed = "model.retrain-failed";
    /// <summary>A retrained version was registered but did not beat the serving one, so it is not rolled out.</summary>
    public const string ModelNotBetter = "model.not-better";
    /// <summary>A better version started its rollout (shadow, canary or challenger).</summary>
    public const string ModelRollout = "model.rollout";
    /// <summary>A version took all traffic and became champion.</summary>
    public const string ModelPromoted = "model.promoted";
    /// <summary>A version was rolled back or lost its challenge (quality, agreement, or its rollout's checks).</summary>
    public const string ModelRolledBack = "model.rolled-back";
    /// <summary>Sent by <c>POST /api/webhooks/{id}/test</c> only; never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly string[] All =
    [
        RolloutStarting, RolloutStage, RolloutConfirmPromotion, RolloutPaused, RolloutRolledBack,
        RolloutSucceeded, RolloutAborted, WorkflowCompleted, WorkflowFailed, WorkflowDeadLettered,
        ModelDrift, ModelRetraining, ModelRetrainFailed, ModelNotBetter, ModelRollout, ModelPromoted, ModelRolledBack,
    ];

    /// <summary>Whether Aviary waits for a hook's answer to <paramref name="name"/> (and a refusal changes what happens).</summary>
    public static bool IsGating(string name) => name is RolloutStarting or RolloutConfirmPromotion;

    /// <summary>Whether the event concerns a workflow run (so a service-scoped hook never gets it).</summary>
    public static bool IsWorkflow(string name) => name.StartsWith("workflow.", StringComparison.Ordinal);

    /// <summary>The distinct events of <paramref name="events"/>, each one of <see cref="All"/>.</summary>
    public static string[] Validate(string[]? events, string field = "events")
    {
        if (events is null || events.Length == 0)
            throw new AviaryValidationException(field, $"must name at least one event: {string.Join(", ", All)}");
        for (var i = 0; i < events.Length; i++)
        {
            if (Array.IndexOf(All, events[i]) < 0)
                throw new AviaryValidationException($"{field}[{i}]", $"must be one of {string.Join(", ", All)} (got '{events[i]}')");
        }
        return [.. events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}

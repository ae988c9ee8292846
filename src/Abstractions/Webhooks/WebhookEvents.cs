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
    /// <summary>Sent by <c>POST /api/webhooks/{id}/test</c> only; never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly string[] All =
    [
        RolloutStarting, RolloutStage, RolloutConfirmPromotion, RolloutPaused, RolloutRolledBack,
        RolloutSucceeded, RolloutAborted, WorkflowCompleted, WorkflowFailed, WorkflowDeadLettered,
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

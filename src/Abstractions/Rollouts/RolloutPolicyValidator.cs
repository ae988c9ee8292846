using Aviary.Errors;

namespace Aviary.Rollouts;

/// <summary>
/// Checks a policy and throws <see cref="AviaryValidationException"/> naming the first broken rule.
/// Field names are the CLI option names, so the message points at what the user typed.
/// </summary>
public static class RolloutPolicyValidator
{
    public static readonly TimeSpan MinCheckInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);
    public const int MaxStages = 20;

    public static RolloutPolicy Validate(RolloutPolicy? policy)
    {
        if (policy is null)
            throw new AviaryValidationException("policy", "must be given");

        var stages = policy.Stages;
        if (stages is null || stages.Length == 0)
            throw new AviaryValidationException("stages", "must list at least one weight");
        if (stages.Length > MaxStages)
            throw new AviaryValidationException("stages", $"must list at most {MaxStages} weights");
        for (var i = 0; i < stages.Length; i++)
        {
            if (stages[i] == 0 && i == 0 && stages.Length > 1 && policy.Strategy == Strategy.Canary)
                continue; // a shadow stage: copies only
            if (stages[i] < 1 || stages[i] > 100)
                throw new AviaryValidationException("stages", i == 0 && stages[i] == 0
                    ? "a first weight of 0 (a shadow stage) needs a canary with more stages after it"
                    : $"each weight must be between 1 and 100, or 0 for a canary's first (shadow) stage (got {stages[i]})");
            if (i > 0 && stages[i] <= stages[i - 1])
                throw new AviaryValidationException("stages", $"weights must rise strictly ({stages[i - 1]} then {stages[i]})");
        }
        if (stages[^1] != 100)
            throw new AviaryValidationException("stages", $"must end at 100 (ends at {stages[^1]})");

        RequireRange("bake", policy.BakeTime, TimeSpan.Zero);
        RequireRange("interval", policy.CheckInterval, MinCheckInterval);

        if (double.IsNaN(policy.MaxErrorRate) || policy.MaxErrorRate < 0 || policy.MaxErrorRate > 1)
            throw new AviaryValidationException("max-error-rate", "must be between 0 and 1");
        if (policy.MaxP95 <= TimeSpan.Zero || policy.MaxP95 > MaxDuration)
            throw new AviaryValidationException("max-p95", "must be positive and at most 7 days");
        if (policy.MinSamples < 1)
            throw new AviaryValidationException("min-samples", "must be at least 1");
        if (policy.FailureLimit < 1)
            throw new AviaryValidationException("failure-limit", "must be at least 1");
        if (policy.InconclusiveLimit < 1)
            throw new AviaryValidationException("inconclusive-limit", "must be at least 1");

        if (!Enum.IsDefined(policy.Analysis))
            throw new AviaryValidationException("analysis", "must be threshold, compare or both");
        if (double.IsNaN(policy.Confidence) || policy.Confidence < 0.5 || policy.Confidence >= 1)
            throw new AviaryValidationException("confidence", "must be at least 0.5 and below 1 (e.g. 0.98)");
        if (double.IsNaN(policy.Tolerance) || policy.Tolerance < 0 || policy.Tolerance > 10)
            throw new AviaryValidationException("tolerance", "must be between 0 and 10 (0.25 = 25 % worse than stable)");

        if (!Enum.IsDefined(policy.Strategy))
            throw new AviaryValidationException("strategy", "must be canary, blue-green, ab or shadow");
        Routes.MatchRules.Validate(policy.Rules);
        if (policy.Strategy == Strategy.AB)
        {
            if (policy.Rules is not { Length: > 0 })
                throw new AviaryValidationException("match", "an A/B rollout needs at least one match rule (e.g. --match header:x-beta=1)");
        }
        if (policy.Strategy == Strategy.Shadow || policy.HasShadowStage)
        {
            if (policy.MirrorPercent is < 1 or > 100)
                throw new AviaryValidationException("mirror-percent", "must be between 1 and 100");
            if (double.IsNaN(policy.MaxMismatchRate) || policy.MaxMismatchRate < 0 || policy.MaxMismatchRate > 1)
                throw new AviaryValidationException("max-mismatch-rate", "must be between 0 and 1");
        }
        if (policy.RunsIterations && policy.Iterations is < 1 or > 10_000)
            throw new AviaryValidationException("iterations", "must be between 1 and 10000");
        if (policy.Strategy != Strategy.Canary && (policy.Stages.Length != 1 || policy.Gates.Length > 0))
            throw new AviaryValidationException("stages", $"a {policy.Strategy} rollout has no stages or gates: it switches all traffic at once");
        RequireRange("switch-back-window", policy.SwitchBackWindow, TimeSpan.Zero);
        if (!Routes.RouteValidator.IsName(policy.PreviewHeader))
            throw new AviaryValidationException("preview-header", "must be a header name");

        if (policy.RequiredApprovals is < 0 or > Guardrails.ApprovalRule.MaxRequired)
            throw new AviaryValidationException("requiredApprovals", $"must be between 0 and {Guardrails.ApprovalRule.MaxRequired}");

        foreach (var gate in policy.Gates ?? throw new AviaryValidationException("gates", "must be a list"))
        {
            var index = Array.IndexOf(stages, gate);
            if (index < 0)
                throw new AviaryValidationException("gates", $"{gate} is not one of the stages");
            if (index == 0)
                throw new AviaryValidationException("gates", $"{gate} is the first stage; a gate must come after it");
        }
        return policy;
    }

    private static void RequireRange(string field, TimeSpan value, TimeSpan min)
    {
        if (value < min)
            throw new AviaryValidationException(field, min == TimeSpan.Zero
                ? "must not be negative"
                : $"must be at least {min.TotalMilliseconds:0} ms");
        if (value > MaxDuration)
            throw new AviaryValidationException(field, "must be at most 7 days");
    }
}

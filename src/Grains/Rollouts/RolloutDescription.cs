using System.Globalization;
using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// What operators read about a rollout: its view, why a check came out as it did, and the words
/// of the transitions that depend on the strategy. Figures are written the same on every
/// machine (invariant culture), since they end up in events, webhooks and logs.
/// </summary>
public static class RolloutDescription
{
    public static RolloutView Describe(RolloutSpec spec, RolloutState state, DateTimeOffset now) => new()
    {
        RolloutId = spec.RolloutId,
        Service = spec.Service,
        Version = spec.Version,
        StableVersion = spec.StableVersion,
        Policy = spec.Policy,
        Status = state.Status,
        StageIndex = state.StageIndex,
        Weight = RolloutDecider.Weight(state, spec.Policy),
        CreatedAt = state.CreatedAt,
        StageStartedAt = state.StageStartedAt,
        BakeRemaining = RolloutDecider.BakeRemaining(state, spec.Policy, now),
        NextCheckAt = state.Status == RolloutStatus.Progressing ? RolloutDecider.NextCheckAt(state, spec.Policy) : null,
        PauseReason = state.PauseReason,
        ConsecutiveFailures = state.ConsecutiveFailures,
        ConsecutiveInconclusive = state.ConsecutiveInconclusive,
        Verdicts = [.. state.Verdicts.Select(v => v.Reason.Length > 0 ? v : v with { Reason = Explain(v, spec.Policy) })],
        Transitions = state.Transitions,
        CompletedAt = state.CompletedAt,
        Now = now,
        Approvals = state.Approvals,
        RequestedBy = spec.RequestedBy,
    };

    /// <summary>
    /// Why <paramref name="verdict"/> came out as it did, from its figures and the policy. The
    /// stored history keeps verdicts without this text (it would be most of a rollout's state);
    /// views write it out again.
    /// </summary>
    public static string Explain(Verdict verdict, RolloutPolicy policy)
    {
        var canary = verdict.Canary;
        var stable = verdict.Stable;
        var comparison = verdict.Comparison;
        var usesThreshold = policy.Analysis != Analysis.Compare;
        var reason = verdict.Result switch
        {
            VerdictResult.Inconclusive when canary.Count < policy.MinSamples => $"inconclusive: {canary.Count} canary samples, {policy.MinSamples} needed",
            VerdictResult.Inconclusive when verdict.Mismatch is { } m && m.Count < policy.MinSamples => $"inconclusive: {m.Count} compared copies, {policy.MinSamples} needed",
            VerdictResult.Inconclusive => $"inconclusive: {stable.Count} stable samples, {policy.MinSamples} needed to compare",
            VerdictResult.Unhealthy => (usesThreshold ? ThresholdText(verdict, policy) : null) ?? ComparisonBreach(comparison) ?? "unhealthy",
            _ => $"healthy: error rate {Percent(canary.ErrorRate)}, p95 {Ms(canary.P95Ms)} over {canary.Count} samples"
                + (verdict.Mismatch is { } mm ? $", mismatch rate {Percent(mm.ErrorRate)} over {mm.Count} compared copies" : "")
                + (comparison is null ? "" : $"; vs stable: errors {Percent(comparison.ErrorRate.Stable)} (p {P(comparison.ErrorRate.PValue)}), p50 {Ms(comparison.Latency.Canary)} vs {Ms(comparison.Latency.Stable)} (p {P(comparison.Latency.PValue)})"),
        };
        return verdict.DryRun ? "dry run, not acted on: " + reason : reason;
    }

    /// <summary>What a rollout of <paramref name="policy"/> does first.</summary>
    public static string Started(RolloutPolicy policy) => policy.Strategy switch
    {
        Strategy.BlueGreen => $"preview: on the preview route only (header {policy.PreviewHeader}: 1)",
        Strategy.AB => $"A/B: requests matching {policy.Rules.Length} rule(s) for {policy.Iterations} checks",
        Strategy.Shadow => $"shadow: {policy.MirrorPercent} % of requests copied for {policy.Iterations} checks; clients get stable's answers",
        _ when policy.HasShadowStage => $"shadow stage: {policy.MirrorPercent} % of requests copied; clients get stable's answers (then canary at {policy.Stages[1]} %)",
        _ => $"canary at {policy.Stages[0]} %",
    };

    /// <summary>How a rollout that is not a weighted canary ends well.</summary>
    public static string Switched(RolloutPolicy policy) => policy.Strategy switch
    {
        Strategy.BlueGreen => "switched: the new version takes all traffic",
        Strategy.Shadow => "shadow done: the new version takes all traffic",
        _ => "A/B done: the new version takes all traffic",
    };

    /// <summary>The threshold the canary broke, written out, or null.</summary>
    private static string? ThresholdText(Verdict verdict, RolloutPolicy policy) => RolloutDecider.BreachOf(verdict.Canary, verdict.Mismatch, policy) switch
    {
        ThresholdBreach.ErrorRate => $"error rate {Percent(verdict.Canary.ErrorRate)} > {Percent(policy.MaxErrorRate)}",
        ThresholdBreach.P95 => $"p95 {Ms(verdict.Canary.P95Ms)} > {Ms(policy.MaxP95.TotalMilliseconds)}",
        ThresholdBreach.Mismatch => $"mismatch rate {Percent(verdict.Mismatch!.ErrorRate)} > {Percent(policy.MaxMismatchRate)} (copies answered differently from stable)",
        _ => null,
    };

    /// <summary>The metric on which the canary was judged worse than stable, or null.</summary>
    private static string? ComparisonBreach(Comparison? comparison) =>
        comparison is null ? null
        : comparison.ErrorRate.Result == Judgement.Fail
            ? $"error rate {Percent(comparison.ErrorRate.Canary)} vs stable {Percent(comparison.ErrorRate.Stable)}: worse (p {P(comparison.ErrorRate.PValue)})"
        : comparison.Latency.Result == Judgement.Fail
            ? $"latency p50 {Ms(comparison.Latency.Canary)} vs stable {Ms(comparison.Latency.Stable)}: worse (p {P(comparison.Latency.PValue)})"
        : null;

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", CultureInfo.InvariantCulture);
}

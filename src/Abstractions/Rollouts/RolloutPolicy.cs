namespace Aviary.Rollouts;

/// <summary>
/// How a canary walks: the traffic stages, how long each bakes, how often health is checked
/// and what counts as healthy. Every field has the documented default.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.RolloutPolicy")]
public sealed record RolloutPolicy
{
    public static readonly int[] DefaultStages = [10, 25, 50, 75, 100];

    /// <summary>
    /// Canary traffic weights in percent, strictly rising, ending at 100. A canary's first stage
    /// may be 0: a shadow stage, where the new version answers copies of
    /// <see cref="MirrorPercent"/> % of requests and no client sees its answers.
    /// </summary>
    [Id(0)] public int[] Stages { get; init; } = DefaultStages;

    /// <summary>How long a stage must run before it may advance. Default 300 s.</summary>
    [Id(1)] public TimeSpan BakeTime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Time between health checks; also the length of the metrics window judged. Default 30 s.</summary>
    [Id(2)] public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A check is unhealthy when the canary's error rate is above this (0..1). Default 0.10.</summary>
    [Id(3)] public double MaxErrorRate { get; init; } = 0.10;

    /// <summary>A check is unhealthy when the canary's p95 latency is above this. Default 200 ms.</summary>
    [Id(4)] public TimeSpan MaxP95 { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A check with fewer canary samples than this is inconclusive, never healthy. Default 20.</summary>
    [Id(5)] public int MinSamples { get; init; } = 20;

    /// <summary>Consecutive unhealthy checks that roll the canary back. Default 1.</summary>
    [Id(6)] public int FailureLimit { get; init; } = 1;

    /// <summary>Consecutive inconclusive checks that pause the rollout for a human. Default 3.</summary>
    [Id(7)] public int InconclusiveLimit { get; init; } = 3;

    /// <summary>Stage weights the rollout waits before until an operator promotes (manual gates).</summary>
    [Id(8)] public int[] Gates { get; init; } = [];

    /// <summary>Judge by thresholds (default), by comparison with the stable version, or both.</summary>
    [Id(9)] public Analysis Analysis { get; init; } = Analysis.Threshold;

    /// <summary>Confidence a comparison needs to call the canary worse (Kayenta's default 0.98).</summary>
    [Id(10)] public double Confidence { get; init; } = 0.98;

    /// <summary>How much worse than stable (relative: 0.25 = 25 %) a significant difference must be to fail. Default 0.25.</summary>
    [Id(11)] public double Tolerance { get; init; } = 0.25;

    /// <summary>Checks are computed and shown, but nothing advances, pauses or rolls back on them.</summary>
    [Id(12)] public bool DryRun { get; init; }

    /// <summary>Canary (default), blue-green or A/B.</summary>
    [Id(13)] public Strategy Strategy { get; init; } = Strategy.Canary;

    /// <summary>Blue-green: switch by itself once the preview has been healthy for the bake time; otherwise wait for promote.</summary>
    [Id(14)] public bool AutoPromote { get; init; }

    /// <summary>Blue-green: how long after the switch undo may switch back; then the old version is released. Default 10 minutes.</summary>
    [Id(15)] public TimeSpan SwitchBackWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests matching any rule go to the new version (A/B; with a canary, on top of its weight).</summary>
    [Id(16)] public Routes.MatchRule[] Rules { get; init; } = [];

    /// <summary>A/B: healthy checks the experiment runs for before the new version takes all traffic. Default 10.</summary>
    [Id(17)] public int Iterations { get; init; } = 10;

    /// <summary>Blue-green: the header (value 1) that puts a request on the preview route. Default X-Aviary-Preview.</summary>
    [Id(18)] public string PreviewHeader { get; init; } = Routes.MatchRules.DefaultPreviewHeader;

    /// <summary>Shadow: percent of requests (by stickiness bucket) copied to the shadow version. Default 100.</summary>
    [Id(19)] public int MirrorPercent { get; init; } = 100;

    /// <summary>Shadow: copy requests of every method, not only GET, HEAD and OPTIONS (the shadow must not act on them twice).</summary>
    [Id(20)] public bool MirrorAllMethods { get; init; }

    /// <summary>Shadow: unhealthy when more copies than this (0..1) answer differently from stable (status class or body). Default 0.05.</summary>
    [Id(21)] public double MaxMismatchRate { get; init; } = 0.05;

    /// <summary>Distinct approvers (none of them the deployer) needed before the rollout leaves its first stage: the two-person rule. Set by the guardrails.</summary>
    [Id(22)] public int RequiredApprovals { get; init; }

    /// <summary>A canary whose first stage is 0 %: it shadows before it serves anyone.</summary>
    public bool HasShadowStage => Strategy == Strategy.Canary && Stages.Length > 1 && Stages[0] == 0;

    /// <summary>Whether the new version gets copies of requests at stage <paramref name="stageIndex"/>: a shadow rollout, or a canary's shadow stage.</summary>
    public bool MirrorsAt(int stageIndex) => Strategy == Strategy.Shadow || (HasShadowStage && stageIndex == 0);

    /// <summary>Strategies that run a number of healthy checks, then switch all traffic at once.</summary>
    public bool RunsIterations => Strategy is Strategy.AB or Strategy.Shadow;

    /// <summary>How long the current stage must be healthy before it may move on: A/B runs its iterations of checks.</summary>
    public TimeSpan Bake => RunsIterations ? CheckInterval * Iterations : BakeTime;

    /// <summary>Rules that send requests to the new version while it rolls out.</summary>
    public Routes.MatchRule[] CanaryRules => Strategy == Strategy.BlueGreen ? [Routes.MatchRules.Preview(PreviewHeader)] : Rules;

    public static RolloutPolicy Default { get; } = new();

    public bool IsGate(int weight) => Array.IndexOf(Gates, weight) >= 0;

    /// <summary>Percent of traffic the canary gets in <paramref name="status"/> at stage <paramref name="stageIndex"/>.</summary>
    public int WeightAt(RolloutStatus status, int stageIndex) => status switch
    {
        RolloutStatus.Progressing or RolloutStatus.Paused => Strategy == Strategy.Canary ? Stages[stageIndex] : 0,
        RolloutStatus.Succeeded => 100,
        _ => 0,
    };
}

using System.CommandLine;
using System.Globalization;
using Aviary.Client.Cli;
using Aviary.Errors;
using Aviary.Rollouts;

namespace Aviary.Client.Commands;

/// <summary>The rollout policy flags of <c>aviary deploy</c>; unset flags keep the policy defaults.</summary>
public sealed class PolicyOptions
{
    public Option<string> Stages { get; } = new("--stages") { Description = "Canary weights in percent, rising, ending at 100 (default 10,25,50,75,100)" };
    public Option<string> Bake { get; } = new("--bake") { Description = "Time each stage runs before it may advance (default 5m)" };
    public Option<string> Interval { get; } = new("--interval") { Description = "Time between health checks (default 30s)" };
    public Option<double?> MaxErrorRate { get; } = new("--max-error-rate") { Description = "Unhealthy above this canary error rate, 0..1 (default 0.10)" };
    public Option<string> MaxP95 { get; } = new("--max-p95") { Description = "Unhealthy above this canary p95 latency (default 200ms)" };
    public Option<int?> MinSamples { get; } = new("--min-samples") { Description = "Fewer canary samples make a check inconclusive (default 20)" };
    public Option<int?> FailureLimit { get; } = new("--failure-limit") { Description = "Consecutive unhealthy checks that roll back (default 1)" };
    public Option<int?> InconclusiveLimit { get; } = new("--inconclusive-limit") { Description = "Consecutive inconclusive checks that pause (default 3)" };
    public Option<string> Gates { get; } = new("--gates") { Description = "Stage weights to pause before until promoted, e.g. 50,75" };
    public Option<string> Analysis { get; } = new("--analysis") { Description = "Judge by threshold (the limits above), compare (canary against stable: two-proportion and Mann-Whitney tests), or both (default threshold)" };
    public Option<double?> Confidence { get; } = new("--confidence") { Description = "Confidence a comparison needs to call the canary worse (default 0.98)" };
    public Option<double?> Tolerance { get; } = new("--tolerance") { Description = "How much worse than stable a significant difference must be to fail, 0.25 = 25 % (default 0.25)" };
    public Option<string> Strategy { get; } = new("--strategy") { Description = "canary (default: the stages), blue-green (preview route, then switch all at once), ab (requests matching --match), shadow (copies of requests; clients get stable's answers) or split (a fixed share, --split-weight)" };
    public Option<string[]> Match { get; } = new("--match") { Description = "A/B rule: conditions joined by &, each header:NAME=VALUE, header:NAME^=PREFIX, header:NAME~=REGEX or cookie:…; repeat for more rules (OR'd)" };
    public Option<int?> Iterations { get; } = new("--iterations") { Description = "A/B: healthy checks before the new version takes all traffic (default 10)" };
    public Option<bool> AutoPromote { get; } = new("--auto-promote") { Description = "Blue-green: switch by itself once the preview was healthy for the bake time (default: wait for promote)" };
    public Option<string> SwitchBackWindow { get; } = new("--switch-back-window") { Description = "Blue-green: how long after the switch undo switches back (default 10m)" };
    public Option<string> PreviewHeader { get; } = new("--preview-header") { Description = $"Blue-green: the header (value 1) of preview requests (default {Routes.MatchRules.DefaultPreviewHeader})" };
    public Option<int?> MirrorPercent { get; } = new("--mirror-percent") { Description = "Shadow: percent of requests copied to the new version (default 100)" };
    public Option<bool> MirrorAllMethods { get; } = new("--mirror-all-methods") { Description = "Shadow: copy every method, not only GET, HEAD and OPTIONS (the shadow receives writes too)" };
    public Option<double?> MaxMismatchRate { get; } = new("--max-mismatch-rate") { Description = "Shadow: unhealthy above this share of copies answered differently from stable, 0..1 (default 0.05)" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Compute and show checks, but never advance, pause or roll back on them" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Stages, Bake, Interval, MaxErrorRate, MaxP95, MinSamples, FailureLimit, InconclusiveLimit, Gates, Analysis, Confidence, Tolerance, DryRun, Strategy, Match, Iterations, AutoPromote, SwitchBackWindow, PreviewHeader, MirrorPercent, MirrorAllMethods, MaxMismatchRate })
            command.Add(option);
    }

    public RolloutPolicy Read(CommandContext context)
    {
        var d = RolloutPolicy.Default;
        var bake = context.Value(Bake);
        var interval = context.Value(Interval);
        var p95 = context.Value(MaxP95);
        var stages = context.Value(Stages);
        var gates = context.Value(Gates);
        var strategy = context.Value(Strategy) is { } named ? ParseStrategy(named) : d.Strategy;
        var window = context.Value(SwitchBackWindow);
        return RolloutPolicyValidator.Validate(new RolloutPolicy
        {
            Strategy = strategy,
            Rules = (context.Value(Match) ?? []).Select(m => Routes.MatchRules.Parse(m)).ToArray(),
            Iterations = context.Value(Iterations) ?? d.Iterations,
            AutoPromote = context.Value(AutoPromote),
            SwitchBackWindow = window is null ? d.SwitchBackWindow : Durations.Parse("switch-back-window", window),
            PreviewHeader = context.Value(PreviewHeader) ?? d.PreviewHeader,
            MirrorPercent = context.Value(MirrorPercent) ?? d.MirrorPercent,
            MirrorAllMethods = context.Value(MirrorAllMethods),
            MaxMismatchRate = context.Value(MaxMismatchRate) ?? d.MaxMismatchRate,
            // Blue-green and A/B switch all traffic at once: their one "stage" is 100 %.
            Stages = stages is not null ? ParseWeights("stages", stages) : strategy == Rollouts.Strategy.Canary ? d.Stages : [100],
            BakeTime = bake is null ? d.BakeTime : Durations.Parse("bake", bake),
            CheckInterval = interval is null ? d.CheckInterval : Durations.Parse("interval", interval),
            MaxErrorRate = context.Value(MaxErrorRate) ?? d.MaxErrorRate,
            MaxP95 = p95 is null ? d.MaxP95 : Durations.Parse("max-p95", p95),
            MinSamples = context.Value(MinSamples) ?? d.MinSamples,
            FailureLimit = context.Value(FailureLimit) ?? d.FailureLimit,
            InconclusiveLimit = context.Value(InconclusiveLimit) ?? d.InconclusiveLimit,
            Gates = gates is null ? d.Gates : ParseWeights("gates", gates),
            Analysis = context.Value(Analysis) is { } analysis ? ParseAnalysis(analysis) : d.Analysis,
            Confidence = context.Value(Confidence) ?? d.Confidence,
            Tolerance = context.Value(Tolerance) ?? d.Tolerance,
            DryRun = context.Value(DryRun),
        });
    }

    public static Strategy ParseStrategy(string text) => text switch
    {
        "canary" => Rollouts.Strategy.Canary,
        "blue-green" => Rollouts.Strategy.BlueGreen,
        "ab" => Rollouts.Strategy.AB,
        "shadow" => Rollouts.Strategy.Shadow,
        _ => throw new AviaryValidationException("strategy", $"must be canary, blue-green, ab or shadow (got '{text}')"),
    };

    public static Analysis ParseAnalysis(string text) => text switch
    {
        "threshold" => Rollouts.Analysis.Threshold,
        "compare" => Rollouts.Analysis.Compare,
        "both" => Rollouts.Analysis.Both,
        _ => throw new AviaryValidationException("analysis", $"must be threshold, compare or both (got '{text}')"),
    };

    public static int[] ParseWeights(string field, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out weights[i]))
                throw new AviaryValidationException(field, $"must be comma-separated whole percentages such as 10,25,50,75,100 (got '{parts[i]}')");
        }
        return weights;
    }
}

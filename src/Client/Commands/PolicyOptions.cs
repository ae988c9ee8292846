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
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Compute and show checks, but never advance, pause or roll back on them" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Stages, Bake, Interval, MaxErrorRate, MaxP95, MinSamples, FailureLimit, InconclusiveLimit, Gates, Analysis, Confidence, Tolerance, DryRun })
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
        return RolloutPolicyValidator.Validate(new RolloutPolicy
        {
            Stages = stages is null ? d.Stages : ParseWeights("stages", stages),
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

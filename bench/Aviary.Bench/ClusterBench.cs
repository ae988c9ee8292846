using System.Diagnostics;
using System.Globalization;
using Aviary.Deployments;
using Aviary.Harness;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Bench;

/// <summary>
/// The cluster profile for real: silo processes (Release build) on loopback sharing a PostgreSQL
/// database (deploy/scripts/test-postgres.sh start), driven by an Orleans client in this process.
/// Rollouts are deployed through the deployment grains as the console does; check lateness is read
/// from the silos' /metrics (aviary_rollout_check_lateness histogram, summed over silos).
/// </summary>
public static class ClusterBench
{
    public sealed record RolloutResult(int Silos, int Rollouts, TimeSpan StartTime, double Checks, double ChecksPerSecond, double P50Ms, double P99Ms);

    public sealed record SoakResult(int Trials, int Passed, double MedianGapS, double MaxGapS, List<string> Failures);

    private static readonly RolloutPolicy Policy = RolloutBench.Policy(TimeSpan.FromSeconds(1));

    public static async Task<RolloutResult> RolloutsAsync(SiloCluster cluster, int count, TimeSpan duration)
    {
        var ops = new RolloutOperations(cluster.Client);
        var prefix = $"pg{cluster.Members.Count}-";
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            await ops.DeployAsync($"{prefix}{i}", "v1", Policy);
            await ops.DeployAsync($"{prefix}{i}", "v2", Policy);
        });
        var startTime = watch.Elapsed;

        using var traffic = new CancellationTokenSource();
        var batch = SampleBatch.From(Enumerable.Range(0, 20).Select(i => new Sample(true, 20 + i)).ToArray());
        var feeding = RolloutBench.FeedAsync(cluster.Client, prefix, count, batch, TimeSpan.FromSeconds(1), traffic.Token);
        await Task.Delay(TimeSpan.FromSeconds(5)); // every rollout has ticked: steady state
        var before = await ScrapeLatenessAsync(cluster);
        var measured = Stopwatch.StartNew();
        await Task.Delay(duration);
        var after = await ScrapeLatenessAsync(cluster);
        var elapsed = measured.Elapsed;
        await traffic.CancelAsync();
        await feeding;

        var buckets = after.Buckets.Select(b => (b.Le, Count: b.Count - before.Buckets.Single(x => x.Le == b.Le).Count)).ToList();
        var checks = after.Count - before.Count;
        return new RolloutResult(cluster.Members.Count, count, startTime, checks, checks / elapsed.TotalSeconds, Quantile(buckets, checks, 0.50), Quantile(buckets, checks, 0.99));
    }

    public static async Task<SoakResult> FailoverSoakAsync(int trials, Action<string> log)
    {
        var gaps = new List<double>();
        var failures = new List<string>();
        var passed = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var moment = (FailoverScenario.KillMoment)(trial % 3);
            await using var cluster = await SiloCluster.StartAsync(3);
            var result = await FailoverScenario.RunAsync(cluster, moment);
            var problems = FailoverScenario.Problems(result);
            if (result.CheckGap is { } gap)
                gaps.Add(gap.TotalSeconds);
            if (problems.Count == 0)
                passed++;
            else
                failures.Add($"trial {trial + 1} ({moment}): {string.Join("; ", problems)}");
            log(string.Create(CultureInfo.InvariantCulture, $"trial {trial + 1}/{trials} {moment}: {(problems.Count == 0 ? "ok" : "FAILED")}, next check {result.CheckGap?.TotalSeconds:0.000} s after the kill"));
        }
        gaps.Sort();
        return new SoakResult(trials, passed, gaps.Count == 0 ? double.NaN : gaps[gaps.Count / 2], gaps.Count == 0 ? double.NaN : gaps[^1], failures);
    }

    private sealed record Histogram(List<(double Le, double Count)> Buckets, double Count);

    /// <summary>The lateness histogram of every silo, buckets summed.</summary>
    private static async Task<Histogram> ScrapeLatenessAsync(SiloCluster cluster)
    {
        using var http = new HttpClient();
        var buckets = new SortedDictionary<double, double>();
        double count = 0;
        foreach (var member in cluster.Survivors)
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{member.HttpPort}/metrics");
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("aviary_rollout_check_lateness_bucket{le=\"", StringComparison.Ordinal))
                {
                    var le = line[(line.IndexOf('"') + 1)..line.LastIndexOf('"')];
                    var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                    buckets[bound] = buckets.GetValueOrDefault(bound) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("aviary_rollout_check_lateness_count ", StringComparison.Ordinal))
                {
                    count += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }
        }
        return new Histogram([.. buckets.Select(b => (b.Key, b.Value))], count);
    }

    /// <summary>The upper bound of the bucket holding quantile <paramref name="q"/> (cumulative buckets, Prometheus style).</summary>
    private static double Quantile(List<(double Le, double Count)> cumulative, double total, double q)
    {
        if (total <= 0)
            return double.NaN;
        foreach (var (le, count) in cumulative)
        {
            if (count >= q * total)
                return le;
        }
        return double.PositiveInfinity;
    }
}

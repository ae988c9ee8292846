using System.Globalization;

namespace Aviary.Bench;

/// <summary>
/// Predictions through the gateway against the same model server reached directly (the
/// baseline), on real processes (<see cref="ServedModel"/>): hey POSTs one prediction as fast
/// as each answers, then at a fixed rate of half the gateway's maximum. The two are measured in
/// interleaved rounds, so a slow spell of the shared machine touches both.
/// </summary>
public static class ServingBench
{
    private const int Connections = 16;
    private const string Prediction = """{"features":{"sqft":1500,"age":20,"rooms":4,"distance":8,"region":"north"}}""";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private sealed record Target(string Name, Uri Url, string? Host);

    public static async Task RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        var rounds = quick ? 1 : 3;
        await using var served = await ServedModel.StartAsync(Prediction);
        Target direct = new("model server, direct (POST /v/v1/predict)", served.Direct, null);
        Target gateway = new($"gateway in the silo → model server (POST /predict, Host: {ServedModel.Name})", served.Gateway, ServedModel.Name);
        // Warm-up: connections, and the JIT's tiers in all three processes.
        foreach (var target in new[] { direct, gateway })
            await LoadTool.HeyClosedAsync(target.Url, Connections, TimeSpan.FromSeconds(quick ? 2 : 8), Prediction, target.Host);

        var max = await RoundsAsync([direct, gateway], rounds, t => LoadTool.HeyClosedAsync(t.Url, Connections, duration, Prediction, t.Host));
        Console.WriteLine(string.Create(Invariant,
            $"## Serving through the gateway (houses v1: fasttree trained by a run of examples/ml-lifecycle/train.yaml on 4,000 rows, registered, served by a model server process; hey, one prediction POSTed, {Connections} connections, {duration.TotalSeconds:0} s per run, median of {rounds} interleaved rounds)"));
        Console.WriteLine();
        Print(max);

        var half = Median(max[gateway].Select(r => r.RequestsPerSecond)) / 2;
        var atHalf = await RoundsAsync([direct, gateway], rounds, t => LoadTool.HeyAsync(t.Url, t.Host, Connections, half, duration, Prediction));
        Console.WriteLine(string.Create(Invariant, $"At a fixed rate of half the gateway's maximum ({half:N0} requests/s in all, hey -q over {Connections} connections):"));
        Console.WriteLine();
        Print(atHalf);

        Console.WriteLine("| gateway against direct | requests/s ratio | per round | p50 added | p99 added |");
        Console.WriteLine("|---|---:|---|---:|---:|");
        foreach (var (what, runs) in new[] { ("as fast as each answers", max), ($"at {half.ToString("N0", Invariant)} requests/s", atHalf) })
        {
            var perRound = runs[gateway].Zip(runs[direct], (g, d) => (g.RequestsPerSecond / d.RequestsPerSecond).ToString("0.00", Invariant));
            double Added(Func<LoadTool.Result, double> of) => Median(runs[gateway].Select(of)) - Median(runs[direct].Select(of));
            Console.WriteLine(string.Create(Invariant,
                $"| {what} | {Median(runs[gateway].Select(r => r.RequestsPerSecond)) / Median(runs[direct].Select(r => r.RequestsPerSecond)):0.00} | {string.Join(" / ", perRound)} | {Added(r => r.P50Ms):+0.00;-0.00} ms | {Added(r => r.P99Ms):+0.00;-0.00} ms |"));
        }
        Console.WriteLine();
    }

    private static async Task<Dictionary<Target, List<LoadTool.Result>>> RoundsAsync(Target[] targets, int rounds, Func<Target, Task<LoadTool.Result>> run)
    {
        var results = targets.ToDictionary(t => t, _ => new List<LoadTool.Result>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
                results[target].Add(await run(target));
        }
        return results;
    }

    /// <summary>Each figure is the median of its rounds on its own.</summary>
    private static void Print(Dictionary<Target, List<LoadTool.Result>> runs)
    {
        Console.WriteLine("| target | requests/s | p50 | p99 | requests/s of each round | p99 of each round | non-200 |");
        Console.WriteLine("|---|---:|---:|---:|---|---|---:|");
        foreach (var (target, all) in runs)
        {
            Console.WriteLine(string.Create(Invariant,
                $"| {target.Name} | {Median(all.Select(r => r.RequestsPerSecond)):N0} | {Median(all.Select(r => r.P50Ms)):0.00} ms | {Median(all.Select(r => r.P99Ms)):0.00} ms | {string.Join(" / ", all.Select(r => r.RequestsPerSecond.ToString("N0", Invariant)))} | {string.Join(" / ", all.Select(r => r.P99Ms.ToString("0.0", Invariant)))} | {all.Sum(r => r.Non2xx)} |"));
        }
        Console.WriteLine();
    }

    private static double Median(IEnumerable<double> values) => Measure.Percentile([.. values], 0.5);
}

using System.Globalization;

namespace Aviary.Bench;

/// <summary>
/// The <c>ml</c> section: training time and memory against reading and encoding the same rows,
/// the drift check's cost against a plain loop over the same values, and the model server's
/// latency and throughput against its own health endpoint; then serving through the gateway
/// against the model server reached directly (<c>ml serving</c>: that part alone).
/// </summary>
public static class ModelBench
{
    public static async Task RunAsync(bool quick, bool servingOnly)
    {
        if (!servingOnly)
            await InProcessAsync(quick);
        await ServingBench.RunAsync(quick);
    }

    private static async Task InProcessAsync(bool quick)
    {
        var c = CultureInfo.InvariantCulture;
        int[] sizes = quick ? [20_000, 100_000] : [100_000, 1_000_000];
        TrainingBench.Run(2_000); // warm-up: every path compiled before anything is timed
        Console.WriteLine("## Training (ShiftingData, regression of price on 4 numbers and a 5-way category: 9 encoded inputs; 80 % trained, 20 % held out)");
        Console.WriteLine();
        Console.WriteLine("Baseline: selecting, splitting and encoding the same rows into the float arrays the trainers read (what every algorithm does first). Ratios are to it; peak is the managed heap's high-water during the run (sampled every 5 ms) above the heap before it, which already holds the dataset.");
        Console.WriteLine();
        Console.WriteLine("| rows | what | wall | × baseline | allocated | × baseline | peak heap above start | held-out R² |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var rows in sizes)
        {
            foreach (var r in TrainingBench.Run(rows))
            {
                Console.WriteLine(string.Create(c,
                    $"| {rows:N0} | {r.What} | {Seconds(r.Wall)} | {r.Wall / r.BaselineWall:0.0} | {r.Allocated / 1048576.0:N0} MB | {(double)r.Allocated / r.BaselineAllocated:0.0} | {r.PeakAbove / 1048576.0:N0} MB | {(r.R2 is { } r2 ? r2.ToString("0.000", c) : "")} |"));
            }
        }
        Console.WriteLine();

        Console.WriteLine("## Drift check per 10,000 live requests (5 features counted into their reference bins, then DriftCheck.Compare)");
        Console.WriteLine();
        var drift = DriftBench.Run(quick ? 200 : 1_000);
        Console.WriteLine("| what | per 10,000 requests | per request | × baseline | allocated per 10,000 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (what, time, allocated) in drift.Rows)
            Console.WriteLine(string.Create(c, $"| {what} | {time.TotalMicroseconds:N1} µs | {time.TotalNanoseconds / 10_000:N1} ns | {time / drift.Baseline:0.0} | {allocated:N0} B |"));
        Console.WriteLine();

        Console.WriteLine("## Model server (fasttree regression trained on 10,000 rows; observations flushed each second to an in-process receiver)");
        Console.WriteLine();
        var server = await ServerBench.RunAsync(TimeSpan.FromSeconds(quick ? 3 : 10));
        Console.WriteLine("| what | requests/s | p50 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (what, rps, p50, p99) in server)
            Console.WriteLine(string.Create(c, $"| {what} | {rps:N0} | {p50:0.000} ms | {p99:0.000} ms |"));
        Console.WriteLine();
    }

    private static string Seconds(double seconds) => seconds < 1
        ? (seconds * 1000).ToString("N0", CultureInfo.InvariantCulture) + " ms"
        : seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}

using System.Diagnostics;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Bench;

/// <summary>One dataset size: the encoding baseline, each algorithm, and the predictor (ordinary least squares on the numbers).</summary>
public static class TrainingBench
{
    public sealed record Result(string What, double Wall, long Allocated, long PeakAbove, double? R2, double BaselineWall, long BaselineAllocated);

    private static readonly string[] Features = ["sqft", "age", "rooms", "distance", "region"];

    public static List<Result> Run(int rows)
    {
        var data = ShiftingData.Generate(rows, seed: 1, shift: 0);
        var folder = Directory.CreateTempSubdirectory("aviary-bench-ml-").FullName;
        try
        {
            var options = new TrainingOptions { Target = "price", Features = Features };
            var baseline = Measure(() =>
            {
                var (train, _, _) = Trainer.Split(data, data.ColumnIndex("price"), options);
                var encoder = new FeatureEncoder(FeatureEncoder.Fit(data, [.. Features.Select(f => (f, f == "region" ? FeatureKinds.Category : FeatureKinds.Numeric))], train));
                return EncodedRows.Encode(data, encoder, ModelTasks.Regression, "price", train).Count > 0 ? null : (double?)null;
            });
            var results = new List<Result> { new("read and encode (baseline)", baseline.Wall, baseline.Allocated, baseline.Peak, null, baseline.Wall, baseline.Allocated) };
            foreach (var algorithm in TrainingOptions.Algorithms)
            {
                var run = Measure(() => Trainer.Train(data, options with { Algorithm = algorithm },
                    Path.Combine(folder, $"{algorithm}.zip"), Path.Combine(folder, $"{algorithm}.holdout.json")).Metrics.R2);
                results.Add(new Result(algorithm, run.Wall, run.Allocated, run.Peak, run.R2, baseline.Wall, baseline.Allocated));
            }
            var predictor = Measure(() => Predictor.Fit(data, "price", ["sqft", "age", "rooms", "distance"]).R2);
            results.Add(new Result("predictor (OLS, numbers only)", predictor.Wall, predictor.Allocated, predictor.Peak, predictor.R2, baseline.Wall, baseline.Allocated));
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (double Wall, long Allocated, long Peak, double? R2) Measure(Func<double?> run)
    {
        var start = Aviary.Bench.Measure.SettledHeapBytes();
        var peak = start;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(5);
            }
        });
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var r2 = run();
        var wall = watch.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        stop.Cancel();
        sampler.Wait();
        return (wall, allocated, Math.Max(0, peak - start), r2);
    }
}

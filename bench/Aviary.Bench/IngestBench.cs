using System.Diagnostics.Metrics;
using Aviary.Grains;
using Aviary.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Streams;

namespace Aviary.Bench;

/// <summary>
/// Samples per second from an Orleans client (loopback TCP) into metrics windows, counted where
/// the windows record them, over the metrics stream (what `aviary simulate` and the HTTP API use)
/// and over direct grain calls.
/// </summary>
public static class IngestBench
{
    public sealed record Result(string Path, int BatchSize, int Windows, long Samples, double SamplesPerSecond, double CpuPercent);

    public static async Task<Result> RunAsync(IHost client, bool viaStream, int windows, int batchSize, int inFlight, TimeSpan duration)
    {
        var cluster = client.Services.GetRequiredService<IClusterClient>();
        var batch = SampleBatch.From(Enumerable.Range(0, batchSize).Select(i => new Sample(i % 50 != 0, 5 + i % 200)).ToArray());
        var provider = cluster.GetStreamProvider(Names.StreamProvider);
        var streams = Enumerable.Range(0, windows).Select(w => SampleStream.For(provider, $"ingest-{w}")).ToArray();
        var grains = Enumerable.Range(0, windows).Select(w => cluster.GetGrain<IServiceMetricsGrain>($"ingest-{w}")).ToArray();
        var item = new VersionSamples("v1", batch);

        long recorded = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AviaryMeters.MeterName && instrument.Name == AviaryMeters.SamplesIngested.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref recorded, value));
        listener.Start();

        // Warm up: activate every window (and its stream subscription).
        for (var w = 0; w < windows; w++)
            await (viaStream ? streams[w].OnNextAsync(item) : grains[w].RecordAsync("v1", batch));

        var measure = new Measure();
        var start = Interlocked.Read(ref recorded);
        var workers = Enumerable.Range(0, inFlight).Select(async worker =>
        {
            var i = worker;
            while (measure.Elapsed < duration)
            {
                var w = i++ % windows;
                try
                {
                    await (viaStream ? streams[w].OnNextAsync(item) : grains[w].RecordAsync("v1", batch));
                }
                catch (InvalidOperationException)
                {
                    await Task.Yield(); // the memory stream's queue is full: back off one turn
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = measure.Elapsed;
        var cpu = measure.CpuPercentOfOneCore;
        var samples = Interlocked.Read(ref recorded) - start;
        return new Result(viaStream ? "metrics stream" : "direct grain call", batchSize, windows, samples, samples / elapsed.TotalSeconds, cpu);
    }
}

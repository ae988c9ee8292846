using System.Diagnostics;
using Aviary.Metrics;

namespace Aviary.Client.Traffic;

/// <summary>
/// Reports synthetic request outcomes every 100 ms to <paramref name="send"/> (the API's samples
/// endpoint). Latencies are exponential with the asked p95 (so p95 is exact in expectation);
/// errors are independent with the asked rate. A batch the silo refuses as busy, or for a version
/// it does not route to, is counted as dropped rather than retried, so the load does not pile up.
/// </summary>
public sealed class TrafficSimulator(Func<Sample[], CancellationToken, Task> send, TrafficProfile profile, int seed)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly double Ln20 = Math.Log(20);

    private readonly Random _random = new(seed);

    public async Task<TrafficSummary> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        long sent = 0, errors = 0, dropped = 0;
        var carry = 0.0;
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (Stopwatch.GetElapsedTime(started) < duration && await timer.WaitForNextTickAsync(cancellationToken))
            {
                carry += profile.Rps * Tick.TotalSeconds;
                var count = (int)carry;
                carry -= count;
                if (count == 0)
                    continue;
                var samples = Generate(count, ref errors);
                try
                {
                    await send(samples, cancellationToken);
                    sent += count;
                }
                catch (Cli.ServerUnreachableException)
                {
                    dropped += count; // busy (503) or briefly gone: shed load rather than pile it up
                }
                catch (Errors.AviaryConflictException refused) when (refused.Field == "version")
                {
                    // The version is not deployed, not yet (traffic started before the deploy) or not any
                    // more (its canary rolled back): the silo refuses its samples; go on until it is.
                    dropped += count;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller: report what was sent.
        }
        return new TrafficSummary(sent, errors, dropped, Stopwatch.GetElapsedTime(started));
    }

    public Sample[] Generate(int count, ref long errors)
    {
        var samples = new Sample[count];
        var scale = profile.P95.TotalMilliseconds / Ln20;
        for (var i = 0; i < count; i++)
        {
            var ok = _random.NextDouble() >= profile.ErrorRate;
            if (!ok)
                errors++;
            samples[i] = new Sample(ok, -Math.Log(1 - _random.NextDouble()) * scale);
        }
        return samples;
    }
}

public sealed record TrafficSummary(long Sent, long Errors, long Dropped, TimeSpan Elapsed);

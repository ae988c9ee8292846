using System.Diagnostics;
using System.Net.Http.Headers;

namespace Aviary.Client.Traffic;

/// <summary>
/// A small open-loop HTTP load generator: starts requests on a fixed schedule whatever the answers
/// do (so a slow version shows as latency, not as a lower rate), up to a cap of requests in flight.
/// Cookies are not kept, so every request is a new user to the gateway's stickiness.
/// </summary>
public sealed class LoadGenerator(HttpMessageInvoker http)
{
    /// <summary>Latencies kept for percentiles; beyond this the run's later requests are counted but not timed.</summary>
    private const int MaxLatencies = 2_000_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _byStatus = [];
    private readonly Dictionary<string, (long Requests, long Errors)> _byVersion = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private long _transportErrors;

    public static SocketsHttpHandler Handler(int maxConnections) => new()
    {
        UseCookies = false,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public async Task<LoadReport> RunAsync(LoadPlan plan, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        var running = 0;
        long sent = 0, shed = 0;
        var started = Stopwatch.GetTimestamp();
        var total = (long)(plan.RequestsPerSecond * plan.Duration.TotalSeconds);
        var interval = 1.0 / plan.RequestsPerSecond;
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = i * interval;
            var ahead = due - Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (ahead > 0.001)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (Volatile.Read(ref running) >= plan.MaxInFlight)
            {
                shed++;
                continue;
            }
            Interlocked.Increment(ref running);
            sent++;
            inFlight.Add(SendAsync(plan, () => Interlocked.Decrement(ref running)));
            if (inFlight.Count >= 4096)
                inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        lock (_gate)
        {
            _latencies.Sort();
            return new LoadReport
            {
                Sent = sent,
                Answered = _byStatus.Values.Sum(),
                Shed = shed,
                TransportErrors = _transportErrors,
                ByStatus = new Dictionary<int, long>(_byStatus),
                ByVersion = _byVersion.ToDictionary(v => v.Key, v => new LoadReport.VersionCount(v.Value.Requests, v.Value.Errors)),
                P50Ms = Percentile(0.50),
                P95Ms = Percentile(0.95),
                P99Ms = Percentile(0.99),
                Seconds = seconds,
            };
        }
    }

    private async Task SendAsync(LoadPlan plan, Action done)
    {
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, plan.Target);
            if (plan.Host is not null)
                request.Headers.Host = plan.Host;
            foreach (var (name, value) in plan.Headers)
                request.Headers.TryAddWithoutValidation(name, value);
            using var response = await http.SendAsync(request, CancellationToken.None);
            await response.Content.CopyToAsync(Stream.Null);
            Count((int)response.StatusCode, Version(response.Headers), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _transportErrors);
        }
        catch (TaskCanceledException)
        {
            Interlocked.Increment(ref _transportErrors);
        }
        finally
        {
            done();
        }
    }

    private static string Version(HttpResponseHeaders headers) =>
        headers.TryGetValues("x-aviary-version", out var values) ? values.FirstOrDefault() ?? "" : "";

    private void Count(int status, string version, double latencyMs)
    {
        lock (_gate)
        {
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
            if (version.Length > 0)
            {
                var (requests, errors) = _byVersion.GetValueOrDefault(version);
                _byVersion[version] = (requests + 1, errors + (status >= 500 ? 1 : 0));
            }
            if (_latencies.Count < MaxLatencies)
                _latencies.Add(latencyMs);
        }
    }

    private double Percentile(double q) =>
        _latencies.Count == 0 ? 0 : _latencies[Math.Clamp((int)Math.Ceiling(q * _latencies.Count) - 1, 0, _latencies.Count - 1)];
}

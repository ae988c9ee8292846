using System.Net.Http.Json;

namespace Aviary.Harness;

/// <summary>
/// A real upstream HTTP process (examples/DemoUpstream) on a free loopback port: it answers every
/// path with its version, fails at the rate it is told, and counts what it answered, which is
/// what the gateway's measurements are checked against.
/// </summary>
public sealed class Upstream : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Upstream(ProcessRun process, string version, int port)
    {
        Process = process;
        Version = version;
        Url = $"http://127.0.0.1:{port}";
    }

    public ProcessRun Process { get; }

    public string Version { get; }

    public string Url { get; }

    public static async Task<Upstream> StartAsync(string version, double errorRate = 0, int latencyMs = 0, bool sameBody = false)
    {
        var port = FreePorts.Take(1)[0];
        var process = ProcessRun.Start(RepoPaths.DemoUpstreamDll,
            ["--port", port.ToString(), "--version", version, "--error-rate", errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency", $"{latencyMs}ms", "--same-body", sameBody ? "true" : "false"]);
        var upstream = new Upstream(process, version, port);
        try
        {
            await process.WaitForLineAsync("listening on", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
        return upstream;
    }

    /// <summary>Requests this process answered, and how many of them it failed on purpose.</summary>
    public async Task<(long Served, long Failed)> StatsAsync()
    {
        var stats = await Http.GetFromJsonAsync<Stats>($"{Url}/_upstream/stats") ?? throw new InvalidOperationException("no stats");
        return (stats.Served, stats.Failed);
    }

    public void Kill() => Process.Signal(kill: true);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private sealed record Stats(string Version, long Served, long Failed);
}

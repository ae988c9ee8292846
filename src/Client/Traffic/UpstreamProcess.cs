using System.Diagnostics;

namespace Aviary.Client.Traffic;

/// <summary>
/// A real process of the demo upstream service (examples/DemoUpstream) on a free loopback port:
/// answers every request with its version, failing and slowing down as told. Killed on dispose.
/// </summary>
public sealed class UpstreamProcess : IAsyncDisposable
{
    public const string Dll = "Aviary.DemoUpstream.dll";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private UpstreamProcess(Process process, string version, int port)
    {
        _process = process;
        Version = version;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Version { get; }

    public string Url { get; }

    public static async Task<UpstreamProcess> StartAsync(string version, double errorRate, TimeSpan latency, int seed, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, Dll);
        if (!File.Exists(dll))
            throw new FileNotFoundException($"the demo upstream is not built beside aviary: {dll}");
        var port = ChildProcesses.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--port", port.ToString(), "--version", version, "--error-rate", errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency", $"{latency.TotalMilliseconds}ms", "--seed", seed.ToString() })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the demo upstream");
        var upstream = new UpstreamProcess(process, version, port);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on") == true)
                listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
        return upstream;
    }

    public ValueTask DisposeAsync() => ChildProcesses.StopAsync(_process);
}

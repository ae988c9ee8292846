namespace Aviary.Tests.EndToEnd;

/// <summary>The real silo executable on loopback, on free ports and a fresh SQLite data directory.</summary>
public sealed class SiloProcessFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ProcessRun? _silo;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("aviary-e2e-").FullName;

    public int SiloPort { get; private set; }

    public int GatewayPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>The embedded gateway's port: real traffic goes here.</summary>
    public int TrafficPort { get; private set; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public Uri Http => new($"http://127.0.0.1:{HttpPort}");

    public Uri Traffic => new($"http://127.0.0.1:{TrafficPort}");

    public ProcessRun Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var ports = FreePorts.Take(4);
        (SiloPort, GatewayPort, HttpPort, TrafficPort) = (ports[0], ports[1], ports[2], ports[3]);
        _silo = ProcessRun.Start(RepoPaths.SiloDll,
        [
            "--data-dir", DataDirectory,
            "--silo-port", SiloPort.ToString(),
            "--gateway-port", GatewayPort.ToString(),
            "--http-port", HttpPort.ToString(),
            "--http-host", "127.0.0.1",
            "--traffic-port", TrafficPort.ToString(),
            "--traffic-host", "127.0.0.1",
            "--log-format", "json",
        ]);
        await _silo.WaitForLineAsync("Application started", StartTimeout);
    }

    /// <summary>Runs the real <c>aviary</c> console against this silo.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> AviaryAsync(TimeSpan timeout, params string[] args) =>
        ProcessRun.RunAsync(RepoPaths.ClientDll, timeout, [.. args, "--gateway", Gateway]);

    public ProcessRun StartAviary(params string[] args) =>
        ProcessRun.Start(RepoPaths.ClientDll, [.. args, "--gateway", Gateway]);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiloProcessCollection : ICollectionFixture<SiloProcessFixture>
{
    public const string Name = "silo-process";
}

namespace Aviary.Tests.EndToEnd;

/// <summary>The real silo executable on loopback, on free ports and a fresh SQLite data directory.</summary>
public sealed class SiloProcessFixture : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    private EmbeddedSilo Started => _silo ?? throw new InvalidOperationException("not started");

    public string DataDirectory => Started.DataDirectory;

    public int SiloPort => Started.SiloPort;

    public int GatewayPort => Started.GatewayPort;

    public int HttpPort => Started.HttpPort;

    /// <summary>The embedded gateway's port: real traffic goes here.</summary>
    public int TrafficPort => Started.TrafficPort;

    public string Gateway => Started.Gateway;

    public Uri Http => Started.Http;

    public string AdminKey => Started.AdminKey;

    /// <summary>An HTTP client of the silo's API holding <paramref name="key"/> (default: the admin key).</summary>
    public HttpClient Api(string? key = null) => Started.Api(key);

    public Uri Traffic => Started.Traffic;

    public ProcessRun Silo => Started.Process;

    /// <summary>
    /// The suites sharing this silo call its API hundreds of times a second from one address (the
    /// authorization matrix alone makes 240 calls): its rate limit is lifted here, and tested on a
    /// silo of its own (<see cref="ApiLimitsTests"/>).
    /// </summary>
    public async Task InitializeAsync() =>
        _silo = await EmbeddedSilo.StartAsync("--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000");

    /// <summary>Runs the real <c>aviary</c> console against this silo.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> AviaryAsync(TimeSpan timeout, params string[] args) =>
        ProcessRun.RunAsync(RepoPaths.ClientDll, timeout, [.. args, .. ConsoleArgs]);

    public ProcessRun StartAviary(params string[] args) =>
        ProcessRun.Start(RepoPaths.ClientDll, [.. args, .. ConsoleArgs]);

    /// <summary>Where the console finds this silo's API, and the admin key it presents.</summary>
    public string[] ConsoleArgs => ["--server", Http.ToString(), "--token", AdminKey];

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SiloProcessCollection : ICollectionFixture<SiloProcessFixture>
{
    public const string Name = "silo-process";
}

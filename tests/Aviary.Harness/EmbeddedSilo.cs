namespace Aviary.Harness;

/// <summary>
/// The real silo executable, embedded profile, on free loopback ports and a fresh SQLite data
/// directory, with its gateway on a port of its own: what `dotnet run --project src/Silo` runs.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private EmbeddedSilo(ProcessRun process, string dataDirectory, int[] ports)
    {
        Process = process;
        DataDirectory = dataDirectory;
        (SiloPort, GatewayPort, HttpPort, TrafficPort) = (ports[0], ports[1], ports[2], ports[3]);
    }

    public ProcessRun Process { get; }
    public string DataDirectory { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public int TrafficPort { get; }

    /// <summary>host:port of the silo's Orleans gateway, for the console and for standalone gateways.</summary>
    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public Uri Http => new($"http://127.0.0.1:{HttpPort}");

    public Uri Traffic => new($"http://127.0.0.1:{TrafficPort}");

    /// <summary>The admin key the silo wrote to its data directory at its first start (empty with authentication off).</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>An HTTP client of the silo's API holding <paramref name="key"/> (default: the admin key).</summary>
    public HttpClient Api(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Http };
        if ((key ?? AdminKey) is { Length: > 0 } presented)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", presented);
        return client;
    }

    public static Task<EmbeddedSilo> StartAsync(params string[] extra) =>
        StartInAsync(Directory.CreateTempSubdirectory("aviary-silo-").FullName, extra);

    /// <summary>A silo on the data directory <paramref name="data"/> (one an earlier silo left, to see what survives a restart).</summary>
    public static async Task<EmbeddedSilo> StartInAsync(string data, params string[] extra)
    {
        var ports = FreePorts.Take(4);
        var process = ProcessRun.Start(RepoPaths.SiloDll,
        [
            "--data-dir", data,
            "--silo-port", ports[0].ToString(),
            "--gateway-port", ports[1].ToString(),
            "--http-port", ports[2].ToString(),
            "--http-host", "127.0.0.1",
            "--traffic-port", ports[3].ToString(),
            "--traffic-host", "127.0.0.1",
            "--log-format", "json",
            .. extra,
        ]);
        var silo = new EmbeddedSilo(process, data, ports);
        try
        {
            await process.WaitForLineAsync("Application started", StartTimeout);
            var keyFile = Path.Combine(data, "admin.key");
            if (File.Exists(keyFile))
                silo.AdminKey = (await File.ReadAllTextAsync(keyFile)).Trim();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    private bool _keepData;

    /// <summary>Stops the silo and leaves its data directory for <see cref="StartInAsync"/>.</summary>
    public async Task StopKeepingDataAsync()
    {
        _keepData = true;
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (_keepData)
            return;
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

namespace Aviary.Harness;

/// <summary>The standalone gateway executable (src/Gateway), an Orleans client of one silo, on a free loopback port.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private GatewayProcess(ProcessRun process, int port)
    {
        Process = process;
        Port = port;
    }

    public ProcessRun Process { get; }

    public int Port { get; }

    public Uri Traffic => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a gateway of the silo whose Orleans gateway is <paramref name="siloGateway"/> and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(string siloGateway, params string[] extra)
    {
        var port = FreePorts.Take(1)[0];
        var process = ProcessRun.Start(RepoPaths.GatewayDll,
            ["--silo-gateway", siloGateway, "--port", port.ToString(), "--host", "127.0.0.1", "--log-format", "json", .. extra]);
        var gateway = new GatewayProcess(process, port);
        try
        {
            await process.WaitForLineAsync("Application started", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

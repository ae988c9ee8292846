using Aviary.Harness.Orleans;
using Aviary.Client.Cli;
using System.Net;
using Aviary.Grains;
using Aviary.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Aviary.Bench;

/// <summary>
/// A silo configured as the embedded profile runs it (SQLite state and reminders in a fresh file,
/// localhost clustering, memory streams), hosted in the benchmark process so its meters can be read.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    public const int SiloPort = 21111;
    public const int GatewayPort = 40000;
    public const string ClusterId = "bench";
    public const string ServiceId = "aviary-bench";

    private readonly IHost _host;
    private readonly string _dataDirectory;

    private BenchSilo(IHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo's group-commit writer: how many commits and writes it made.</summary>
    public SqliteCommitQueue Commits =>
        ((SqliteGrainStorage)_host.Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Names.Storage)).Commits;

    /// <summary>The folder of the silo's SQLite file (the disk the fsync ceiling is measured on).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Starts a silo; <paramref name="agentFiles"/> says where agents read inputs and write results (default: under the working directory).</summary>
    public static async Task<BenchSilo> StartAsync(Aviary.Agents.AgentFiles? agentFiles = null, SqliteDurability durability = SqliteDurability.Full)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("aviary-bench-").FullName;
        var connectionString = SqliteStorage.ConnectionString(dataDirectory);
        await SqliteSchema.ApplyAsync(connectionString);
        var builder = Host.CreateApplicationBuilder();
        // Only what would stop the run: shed events are counted in the results, not logged.
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(SiloPort, GatewayPort, serviceId: ServiceId, clusterId: ClusterId);
            silo.AddSqliteStorage(connectionString, durability);
            silo.AddAviaryGrains(agentFiles: agentFiles);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, dataDirectory);
    }

    /// <summary>An Orleans client in this process that reaches the silo over loopback TCP, as a separate client would.</summary>
    public static async Task<IHost> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, GatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            client.AddAviaryStreams();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
        if (Environment.GetEnvironmentVariable("AVIARY_BENCH_KEEP_DATA") == "1")
        {
            Console.WriteLine($"(data kept in {_dataDirectory})");
            return;
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}

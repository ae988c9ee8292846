using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Serilog;
using Serilog.Events;

namespace Aviary.Gateway;

/// <summary>
/// <c>aviary-gateway</c>: the gateway as its own process, an Orleans client of the cluster, for
/// scaling out beside the silos (deploy/kubernetes). The embedded profile needs none: the silo
/// serves the same gateway itself.
/// </summary>
public static class GatewayProgram
{
    public static readonly Dictionary<string, string> Switches = new()
    {
        ["--profile"] = "Aviary:Profile",
        ["--connection-string"] = "Aviary:ConnectionString",
        ["--service-id"] = "Aviary:ServiceId",
        ["--cluster-id"] = "Aviary:ClusterId",
        ["--silo-gateway"] = "Aviary:SiloGateway",
        ["--port"] = "Aviary:Gateway:Port",
        ["--host"] = "Aviary:Gateway:Host",
        ["--reconcile-interval"] = "Aviary:Gateway:ReconcileInterval",
        ["--flush-interval"] = "Aviary:Gateway:FlushInterval",
        ["--error-statuses"] = "Aviary:Gateway:ErrorStatuses",
        ["--log-format"] = "Aviary:LogFormat",
    };

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, Switches);
        var options = new AviaryGatewayOptions();
        var cluster = new GatewayClusterOptions();
        try
        {
            builder.Configuration.GetSection(AviaryGatewayOptions.Section).Bind(options);
            builder.Configuration.GetSection(GatewayClusterOptions.Section).Bind(cluster);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"aviary-gateway: {ex.Message}");
            return 1;
        }
        if ((AviaryGatewayOptionsValidator.FirstFailure(options) ?? cluster.FirstFailure()) is { } failure)
        {
            Console.Error.WriteLine($"aviary-gateway: {failure}");
            return 1;
        }

        builder.WebHost.UseUrls(options.Url);
        var log = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning);
        if (cluster.LogFormat == "json")
            log.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter());
        else
            log.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        // Serilog as a provider of the framework's logger factory, so that the factory's filter
        // can turn the per-request logger off altogether (GatewayTelemetry).
        builder.Logging.ClearProviders().AddSerilog(log.CreateLogger(), dispose: true).WithoutRequestLogs();
        // Prometheus listens to the process' meters from the start, as it will once scraped, but
        // not to the per-request framework meters and event sources.
        Prometheus.Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = GatewayTelemetry.IsExported);
        Prometheus.Metrics.ConfigureEventCounterAdapter(o => o.EventSourceFilterPredicate = GatewayTelemetry.IsExported);
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);
        builder.UseOrleansClient(client =>
        {
            if (cluster.IsCluster)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = cluster.ConnectionString;
                });
            }
            else
            {
                client.UseStaticClustering(System.Net.IPEndPoint.Parse(cluster.SiloGateway));
            }
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
            client.AddMemoryStreams(Names.StreamProvider, streams => streams.ConfigurePartitioning(Names.StreamQueues));
            if (cluster.Tls.IsConfigured)
                client.UseAviaryTls(cluster.Tls);
            // Keep trying: the gateway waits for the cluster rather than exiting while silos start.
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return true;
            });
        });
        builder.Services.AddAviaryGateway(options);
        var app = builder.Build();
        app.MapAviaryGateway();
        await app.RunAsync();
        return 0;
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Aviary.Harness.Orleans;

/// <summary>An Orleans client connected to a cluster's gateways, with Aviary's stream provider.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>Where the gateways are: a fixed list, or the cluster's membership table in PostgreSQL.</summary>
    public sealed record Target(IPEndPoint[] Gateways, string? ConnectionString, string Display)
    {
        public static Target FromGateways(IPEndPoint[] gateways, string display) => new(gateways, null, display);

        public static Target FromMembership(string connectionString)
        {
            string display;
            try
            {
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                display = $"the gateways listed in {builder.Host}:{builder.Port}/{builder.Database}";
            }
            catch (ArgumentException ex)
            {
                throw new Aviary.Errors.AviaryValidationException("connection-string", $"not a valid PostgreSQL connection string ({ex.Message})");
            }
            return new([], connectionString, display);
        }
    }

    public static async Task<ClusterConnection> ConnectAsync(Target target, ClusterIdentity identity, CancellationToken cancellationToken,
        Aviary.Gateway.OrleansTlsOptions? tls = null)
    {
        var display = target.Display;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (target.ConnectionString is { } connectionString)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                client.UseStaticClustering(target.Gateways);
            }
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = identity.ClusterId;
                o.ServiceId = identity.ServiceId;
            });
            client.AddAviaryStreams();
            if (tls is { IsConfigured: true })
                Aviary.Gateway.OrleansTls.UseAviaryTls(client, tls);
            var deadline = DateTime.UtcNow + ConnectTimeout;
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (DateTime.UtcNow >= deadline)
                    return false;
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            throw new InvalidOperationException($"cannot reach an Aviary silo at {display}", ex);
        }
        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Leaving anyway: a gateway that went away cannot be told goodbye.
        }
        _host.Dispose();
    }
}

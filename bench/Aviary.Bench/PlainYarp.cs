using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Aviary.Bench;

/// <summary>
/// The baseline the gateway is measured against: YARP with no Aviary code, one route and one
/// cluster to the same upstream, its default pipeline. Run as its own process:
/// <c>Aviary.Bench plain-yarp PORT UPSTREAM_URL</c>.
/// </summary>
public static class PlainYarp
{
    public static async Task RunAsync(int port, string upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["d0"] = new() { Address = upstream } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        Console.WriteLine("plain-yarp listening");
        await app.WaitForShutdownAsync();
    }
}

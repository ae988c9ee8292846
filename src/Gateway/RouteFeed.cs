using Aviary.Deployments;
using Aviary.Routes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Gateway;

/// <summary>
/// Keeps the <see cref="RouteTable"/> current: every route change arrives on the route stream
/// within milliseconds, and every <see cref="AviaryGatewayOptions.ReconcileInterval"/> the whole table is
/// read again from the deployment grains, because memory streams may lose events (a silo dies).
/// While the cluster cannot be reached the table is kept as it was and routing goes on.
/// </summary>
public sealed partial class RouteFeed(
    IClusterClient client,
    RouteTable table,
    AviaryGatewayOptions options,
    TimeProvider time,
    ILogger<RouteFeed> logger) : BackgroundService, IAsyncObserver<RouteSnapshot>
{
    private StreamSubscriptionHandle<RouteSnapshot>? _subscription;
    private bool _unreachable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReconcileInterval, time);
        do
        {
            await SubscribeAsync();
            await ReconcileAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_subscription is not null)
        {
            try
            {
                await _subscription.UnsubscribeAsync();
            }
            catch (Exception)
            {
                // The cluster may be gone; its memory stream forgets this client with it.
            }
        }
    }

    /// <summary>Reads every service's route from the cluster; true when that worked.</summary>
    public async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        var mark = table.Mark();
        try
        {
            // A cluster that does not answer within two periods counts as unreachable (a grain call
            // to a dead silo would otherwise wait out Orleans' response timeout).
            var limit = options.ReconcileInterval * 2;
            var names = await client.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).ListAsync().WaitAsync(limit, cancellationToken);
            var routes = await Task.WhenAll(names.Select(n => client.GetGrain<IDeploymentGrain>(n).GetRouteAsync())).WaitAsync(limit, cancellationToken);
            table.Reconcile(routes.OfType<RouteSnapshot>().ToArray(), mark);
            if (_unreachable)
            {
                _unreachable = false;
                LogReachable(logger, table.All.Count);
            }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_unreachable)
            {
                _unreachable = true;
                LogUnreachable(logger, ex, table.All.Count);
            }
            return false;
        }
    }

    private async Task SubscribeAsync()
    {
        if (_subscription is not null)
            return;
        try
        {
            _subscription = await client.GetStreamProvider(Names.StreamProvider)
                .GetStream<RouteSnapshot>(StreamId.Create(Names.Routes, Names.RoutesKey))
                .SubscribeAsync(this);
        }
        catch (Exception ex)
        {
            LogSubscribeFailed(logger, ex);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    Task IAsyncObserver<RouteSnapshot>.OnNextAsync(RouteSnapshot item, StreamSequenceToken? token)
    {
        if (table.Apply(item))
            LogRouteChanged(logger, item.Service, item.Revision, item.Stable?.Version, item.Canary?.Version, item.CanaryWeight);
        return Task.CompletedTask;
    }

    Task IAsyncObserver<RouteSnapshot>.OnCompletedAsync() => Task.CompletedTask;

    Task IAsyncObserver<RouteSnapshot>.OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        _subscription = null; // subscribe again at the next reconcile
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning,
        Message = "Cluster unreachable: routing goes on with the last route table ({Services} services) until it answers again")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, int services);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Cluster reachable: route table of {Services} services is current")]
    private static partial void LogReachable(ILogger logger, int services);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Could not subscribe to route changes; the periodic reconcile still reads them")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Route stream failed; subscribing again at the next reconcile")]
    private static partial void LogStreamError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Debug,
        Message = "Route of {Service} at revision {Revision}: stable {Stable}, canary {Canary} at {CanaryWeight} %")]
    private static partial void LogRouteChanged(ILogger logger, string service, long revision, string? stable, string? canary, int canaryWeight);
}

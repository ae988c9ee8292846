using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace Aviary.Gateway;

/// <summary>
/// The gateway as services and endpoints, the same in the silo (embedded profile) and in the
/// standalone gateway process. It needs an <see cref="IClusterClient"/> in the container.
/// </summary>
public static class GatewayHosting
{
    private const string ReadyTag = "gateway-ready";

    public static IServiceCollection AddAviaryGateway(this IServiceCollection services, AviaryGatewayOptions options)
    {
        if (AviaryGatewayOptionsValidator.FirstFailure(options) is { } failure)
            throw new InvalidOperationException(failure);
        services.AddSingleton(options);
        services.AddSingleton(ErrorStatuses.Parse(options.ErrorStatuses));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<IClusterClient>());
        services.AddSingleton<ProxyConfigBuilder>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton<OutcomeRecorder>();
        services.AddSingleton<ShadowMirror>();
        services.AddSingleton<GatewayMiddleware>();
        services.AddSingleton<RouteFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RouteFeed>());
        services.AddSingleton(sp => new GatewayMetricsAuth(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OutcomeFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutcomeFlusher>());
        services.AddReverseProxy().LoadFromMemory([], []);
        services.AddHealthChecks().AddCheck<RouteTableHealthCheck>("routes", tags: [ReadyTag]);
        services.AddProblemDetails();
        return services;
    }

    /// <summary>
    /// The proxy, and the gateway's own endpoints under <see cref="AviaryGatewayOptions.AdminPrefix"/>
    /// (never proxied): <c>healthz/live</c>, <c>healthz/ready</c>, <c>metrics</c>. Anything no
    /// service claims gets a 404 problem from the gateway itself.
    /// </summary>
    public static WebApplication MapAviaryGateway(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<GatewayMiddleware>();
        GatewayMeters.Observe(app.Services.GetRequiredService<RouteTable>(), app.Services.GetRequiredService<OutcomeRecorder>());

        var admin = app.MapGroup(AviaryGatewayOptions.AdminPrefix).WithOrder(-1);
        admin.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        admin.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthAsync,
        });
        var metrics = app.Services.GetRequiredService<AviaryGatewayOptions>() is { MetricsRequireKey: true }
            ? app.Services.GetRequiredService<GatewayMetricsAuth>()
            : null;
        if (metrics is not null)
        {
            var path = new PathString(AviaryGatewayOptions.AdminPrefix + "/metrics");
            // By segments: /_aviary/metrics/ and /_AVIARY/METRICS reach the same endpoint, so they are checked too.
            app.UseWhen(context => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase), branch => branch.Use((context, next) => metrics.InvokeAsync(context, () => next(context))));
        }
        admin.MapMetrics("/metrics");
        app.MapReverseProxy(pipeline =>
        {
            // The factory form: no delegate allocated per request.
            pipeline.Use(next => context => gateway.InvokeAsync(context, next));
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        app.MapFallback(GatewayProblems.UnknownServiceAsync);
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        var entry = report.Entries.Values.FirstOrDefault();
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            description = entry.Description,
            data = entry.Data,
        });
    }
}

using Aviary.Gateway;

namespace Aviary.Silo.Gateway;

/// <summary>
/// The embedded profile's gateway: the same gateway as the standalone process, served by the silo
/// on its own port (<see cref="AviaryGatewayOptions.Port"/>, default 8000) with its own pipeline, using
/// the silo's cluster client. Started after the silo, stopped before it.
/// </summary>
public sealed partial class EmbeddedGateway(AviaryGatewayOptions options, IClusterClient client, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Aviary.Gateway" });
        builder.WebHost.UseUrls(options.Url);
        // The silo's loggers, through a factory of the gateway's own so that its filter can turn
        // the per-request logger off (GatewayTelemetry). Its host's lifetime lines are left out:
        // "Application started" is the silo's to say, once everything (its API too) is up.
        builder.Logging.ClearProviders().AddProvider(new SiloLoggers(loggers)).WithoutRequestLogs()
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.AddSingleton(client);
        builder.Services.AddAviaryGateway(options);
        _app = builder.Build();
        _app.MapAviaryGateway();
        await _app.StartAsync(cancellationToken);
        LogListening(loggers.CreateLogger<EmbeddedGateway>(), options.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Gateway listening on {Url}")]
    private static partial void LogListening(ILogger logger, string url);

    /// <summary>The silo's logger factory as a provider: it keeps its sinks, and owns them.</summary>
    private sealed class SiloLoggers(ILoggerFactory silo) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => silo.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

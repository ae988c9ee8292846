using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Aviary.ModelServer;

/// <summary>Composes the model server: validated options, sources, versions, the sender, and its endpoints.</summary>
public static class ModelServerHosting
{
    public static IServiceCollection AddAviaryModelServer(this IServiceCollection services)
    {
        services.AddOptions<ModelServerOptions>().BindConfiguration(ModelServerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelServerOptions>, ModelServerOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ModelServerOptions>>().Value);
        // Read raw: Kestrel is configured before the options are validated (a bad value stops the start then).
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
            kestrel.Limits.MaxRequestBodySize = configuration.GetValue($"{ModelServerOptions.Section}:{nameof(ModelServerOptions.MaxRequestBytes)}", new ModelServerOptions().MaxRequestBytes));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ModelServerMetrics>();
        services.AddHttpClient(ApiModelSource.HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<ModelServerOptions>();
            if (!o.HasApi)
                return;
            http.BaseAddress = new Uri(o.ApiUrl.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Add("X-Api-Key", o.ApiKey);
        });
        services.AddSingleton<IModelSource>(sp =>
        {
            var o = sp.GetRequiredService<ModelServerOptions>();
            var api = o.HasApi ? new ApiModelSource(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ApiModelSource.HttpClientName), o) : null;
            return new ConfiguredModelSource(o, api);
        });
        services.AddSingleton<ModelVersions>();
        services.AddSingleton<ObservationSender>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWarmup>());
        services.AddSingleton<ModelWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<ObservationSender>());
        return services;
    }

    public static WebApplication MapAviaryModelServer(this WebApplication app)
    {
        app.MapPredictApi();
        app.MapHealthApi();
        var metrics = app.Services.GetRequiredService<ModelServerMetrics>();
        app.MapMetrics(settings => settings.Registry = metrics.Registry, "/metrics");
        return app;
    }
}

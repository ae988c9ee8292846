using Aviary.Grains.Webhooks;
using Aviary.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Aviary.Silo.Webhooks;

/// <summary>The silo side of webhooks: the HTTP client, the sender the hook grains hand events to, the gate rollouts ask.</summary>
public static class WebhookHosting
{
    public static WebApplicationBuilder AddAviaryWebhooks(this WebApplicationBuilder builder, AviaryOptions options)
    {
        var services = builder.Services;
        // Receivers' redirects are not followed: a signed body goes only where the hook says.
        services.AddHttpClient(WebhookCall.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        services.AddSingleton(Options.Create(options.Webhooks));
        services.AddSingleton(new WebhookLinks(options.PublicUrlOrDefault));
        services.AddSingleton<WebhookCall>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IWebhookDispatcher>(sp => sp.GetRequiredService<WebhookSender>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<IWebhookGate, WebhookGateCaller>();
        return builder;
    }
}

using Aviary.Client.Cli;
using Aviary.Webhooks;

namespace Aviary.Client.Api;

/// <summary>Webhooks through the silo's HTTP API (<c>/api/webhooks</c>).</summary>
public sealed class WebhookClient(ApiConnection api)
{
    private static string S(string segment) => Uri.EscapeDataString(segment);

    public Task<CreatedWebhook> AddAsync(WebhookSpec spec, string? secret, CancellationToken cancellationToken) =>
        api.PostAsync<CreatedWebhook>("/api/webhooks", new
        {
            spec.Id,
            spec.Url,
            spec.Service,
            spec.Events,
            Format = spec.Format.ToString().ToLowerInvariant(),
            spec.Timeout,
            spec.MaxAttempts,
            Secret = secret,
        }, cancellationToken);

    public Task<WebhookView[]> ListAsync(CancellationToken cancellationToken) => api.GetAsync<WebhookView[]>("/api/webhooks", cancellationToken);

    public Task<WebhookView> GetAsync(string id, CancellationToken cancellationToken) => api.GetAsync<WebhookView>($"/api/webhooks/{S(id)}", cancellationToken);

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => api.DeleteAsync($"/api/webhooks/{S(id)}", cancellationToken);

    public Task<WebhookDelivery[]> DeliveriesAsync(string id, CancellationToken cancellationToken) =>
        api.GetAsync<WebhookDelivery[]>($"/api/webhooks/{S(id)}/deliveries", cancellationToken);

    public Task<WebhookNotice> TestAsync(string id, CancellationToken cancellationToken) =>
        api.PostAsync<WebhookNotice>($"/api/webhooks/{S(id)}/test", null, cancellationToken);
}

/// <summary>A new hook and its secret, shown this once.</summary>
public sealed record CreatedWebhook(WebhookView Webhook, string Secret);

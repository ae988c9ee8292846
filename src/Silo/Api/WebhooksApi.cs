using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Audit;
using Aviary.Silo.Security;
using Aviary.Silo.Webhooks;
using Aviary.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/webhooks</c>: admins add and remove hooks; operators read them and their delivery logs
/// and send test events (a hook's URL may carry a token of the receiver's: viewers do not see it).
/// A hook's secret is in the answer to its creation and nowhere else, ever.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks").WithBodyLimit(16 * 1024);
        api.MapGet("/", (IGrainFactory grains) => Registry(grains).ListAsync()).RequireRole(AviaryRole.Operator);
        api.MapGet("/{id}", GetAsync).RequireRole(AviaryRole.Operator);
        api.MapGet("/{id}/deliveries", async (string id, IGrainFactory grains) =>
        {
            await GetAsync(id, grains);
            return TypedResults.Ok(await grains.GetGrain<IWebhookGrain>(id).DeliveriesAsync());
        }).RequireRole(AviaryRole.Operator);
        api.MapPost("/{id}/test", TestAsync).RequireRole(AviaryRole.Operator);
        api.MapPost("/", CreateAsync).RequireRole(AviaryRole.Admin).WithMetadata(new AuditMiddleware.SecretBody());
        api.MapDelete("/{id}", async (string id, IGrainFactory grains, SecretVault vault) =>
        {
            await Registry(grains).RemoveAsync(Identifiers.ValidateName(id, "id"));
            try
            {
                await vault.RemoveAsync(WebhookSpec.SecretName(id));
            }
            catch (AviaryNotFoundException)
            {
                // Removed already (by hand, through /api/secrets): nothing left to remove.
            }
            return TypedResults.NoContent();
        }).RequireRole(AviaryRole.Admin);
        return api;
    }

    private static IWebhookRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IWebhookRegistryGrain>(IWebhookRegistryGrain.Key);

    private static async Task<Ok<WebhookView>> GetAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IWebhookGrain>(Identifiers.ValidateName(id, "id")).GetAsync()
            ?? throw new AviaryNotFoundException("id", $"no webhook '{id}'"));

    private static async Task<Created<CreatedWebhook>> CreateAsync(WebhookRequest? body, HttpContext context, IGrainFactory grains, SecretVault vault, TimeProvider time)
    {
        if (body is null)
            throw new AviaryValidationException("body", "must be a JSON object with id, url and events");
        var spec = WebhookSpecValidator.Validate(new WebhookSpec
        {
            Id = body.Id ?? "",
            Url = body.Url ?? "",
            Service = string.IsNullOrEmpty(body.Service) ? null : body.Service,
            Events = body.Events ?? [],
            Format = ParseFormat(body.Format),
            Timeout = body.Timeout ?? WebhookSpecValidator.DefaultTimeout,
            MaxAttempts = body.MaxAttempts ?? WebhookSpecValidator.DefaultMaxAttempts,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = context.User.Caller(),
        });
        if (body.Secret is { Length: < 16 })
            throw new AviaryValidationException("secret", "must be at least 16 characters");
        if (await grains.GetGrain<IWebhookGrain>(spec.Id).GetAsync() is not null)
            throw new AviaryConflictException("id", $"a webhook '{spec.Id}' exists: remove it first");
        // The secret first: a hook is never listed without the secret it signs with.
        var secret = body.Secret ?? WebhookSigner.NewSecret();
        await vault.PutAsync(WebhookSpec.SecretName(spec.Id), secret, context.User.Caller());
        var view = await Registry(grains).CreateAsync(spec);
        return TypedResults.Created($"/api/webhooks/{spec.Id}", new CreatedWebhook(view, secret));
    }

    private static async Task<Accepted<WebhookNotice>> TestAsync(string id, IGrainFactory grains, TimeProvider time)
    {
        var view = (await GetAsync(id, grains)).Value!;
        var notice = new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = WebhookEvents.Test,
            At = time.GetUtcNow(),
            Service = view.Spec.Service,
            Status = "test",
            Message = $"a test event for webhook '{id}'",
        };
        await grains.GetGrain<IWebhookGrain>(id).EnqueueAsync(notice);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", notice);
    }

    private static WebhookFormat ParseFormat(string? format) => format switch
    {
        null or "" or "json" => WebhookFormat.Json,
        "slack" => WebhookFormat.Slack,
        "teams" => WebhookFormat.Teams,
        _ => throw new AviaryValidationException("format", $"must be json, slack or teams (got '{format}')"),
    };
}

/// <summary>
/// Body of <c>POST /api/webhooks</c>: <c>{"id": "ci", "url": "https://…", "service": "shop", "events": ["rollout.paused"],
/// "format": "json", "timeout": "00:00:05", "maxAttempts": 5, "secret": "…"}</c>; no service: every service and run;
/// no secret: one is generated.
/// </summary>
public sealed record WebhookRequest(
    string? Id = null,
    string? Url = null,
    string? Service = null,
    string[]? Events = null,
    string? Format = null,
    TimeSpan? Timeout = null,
    int? MaxAttempts = null,
    string? Secret = null);

/// <summary>A new hook, and the secret it signs with, shown this once.</summary>
public sealed record CreatedWebhook(WebhookView Webhook, string Secret);

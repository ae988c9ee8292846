using Aviary.Errors;

namespace Aviary.Webhooks;

/// <summary>What a webhook may be; every field checked, the first bad one named.</summary>
public static class WebhookSpecValidator
{
    /// <summary>A hook's name, at most (its secret is named <c>webhook.{id}</c>, which must stay a valid name).</summary>
    public const int MaxIdLength = 64;
    public const int MaxUrlLength = 2_048;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    /// <summary>Gating calls happen inside a rollout's turn, which must end well within Orleans' 30 s call timeout.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultMaxAttempts = 5;
    public const int MaxMaxAttempts = 10;

    public static WebhookSpec Validate(WebhookSpec spec)
    {
        var id = Identifiers.ValidateName(spec.Id, "id");
        if (id.Length > MaxIdLength)
            throw new AviaryValidationException("id", $"must be at most {MaxIdLength} characters");
        if (string.IsNullOrWhiteSpace(spec.Url))
            throw new AviaryValidationException("url", "must not be empty");
        if (spec.Url.Length > MaxUrlLength)
            throw new AviaryValidationException("url", $"must be at most {MaxUrlLength} characters");
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
            throw new AviaryValidationException("url", $"must be an absolute http or https URL (got '{spec.Url}')");
        if (!string.IsNullOrEmpty(url.UserInfo))
            throw new AviaryValidationException("url", "must not carry credentials (user:password@): receivers check the signature instead");
        if (spec.Service is not null)
            Identifiers.ValidateService(spec.Service);
        var events = WebhookEvents.Validate(spec.Events);
        if (spec.Service is not null && events.FirstOrDefault(WebhookEvents.IsWorkflow) is { } workflow)
            throw new AviaryValidationException("events", $"'{workflow}' concerns workflow runs, which belong to no service: give it a global hook");
        if (!Enum.IsDefined(spec.Format))
            throw new AviaryValidationException("format", "must be json, slack or teams");
        if (spec.Format != WebhookFormat.Json && events.FirstOrDefault(WebhookEvents.IsGating) is { } gating)
            throw new AviaryValidationException("events", $"'{gating}' is gating: its receiver must answer Aviary's JSON, so the format must be json");
        if (spec.Timeout < MinTimeout || spec.Timeout > MaxTimeout)
            throw new AviaryValidationException("timeout", $"must be between {MinTimeout.TotalMilliseconds:0} ms and {MaxTimeout.TotalSeconds:0} s");
        if (spec.MaxAttempts is < 1 or > MaxMaxAttempts)
            throw new AviaryValidationException("maxAttempts", $"must be between 1 and {MaxMaxAttempts} (got {spec.MaxAttempts})");
        return spec with { Events = events };
    }
}

namespace Aviary.Webhooks;

/// <summary>A webhook as configured: where, for what, in which format, how patiently.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WebhookSpec")]
public sealed record WebhookSpec
{
    /// <summary>The hook's name (<see cref="Identifiers.ValidateName"/>).</summary>
    [Id(0)] public string Id { get; init; } = "";
    /// <summary>An absolute http or https URL.</summary>
    [Id(1)] public string Url { get; init; } = "";
    /// <summary>The service whose rollouts it hears of, or null for every service and every workflow run.</summary>
    [Id(2)] public string? Service { get; init; }
    /// <summary>The events it subscribes to (<see cref="WebhookEvents.All"/>), distinct and sorted.</summary>
    [Id(3)] public string[] Events { get; init; } = [];
    [Id(4)] public WebhookFormat Format { get; init; }
    /// <summary>How long one attempt may take; also how long a gating call may take.</summary>
    [Id(5)] public TimeSpan Timeout { get; init; } = WebhookSpecValidator.DefaultTimeout;
    /// <summary>Attempts per delivery, the first included.</summary>
    [Id(6)] public int MaxAttempts { get; init; } = WebhookSpecValidator.DefaultMaxAttempts;
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public string CreatedBy { get; init; } = "";

    /// <summary>Whether this hook hears of <paramref name="name"/> for <paramref name="service"/> (null: a workflow event).</summary>
    public bool Matches(string name, string? service) =>
        Array.IndexOf(Events, name) >= 0 && (Service is null || (service is not null && Service == service));

    /// <summary>The name of the secret it signs with, in the secrets vault.</summary>
    public static string SecretName(string id) => "webhook." + id;
}

namespace Aviary.Webhooks;

/// <summary>
/// One event as webhooks receive it (the <c>json</c> format's body, and what the chat formats
/// are written from). <see cref="Link"/> and <see cref="ApprovalLink"/> are filled in by the silo
/// that sends it, from its public URL.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.WebhookNotice")]
public sealed record WebhookNotice
{
    /// <summary>The delivery's id: the same on every attempt, for receivers' de-duplication.</summary>
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string Event { get; init; } = "";
    [Id(2)] public DateTimeOffset At { get; init; }
    [Id(3)] public string? Service { get; init; }
    [Id(4)] public string? Run { get; init; }
    [Id(5)] public string? RolloutId { get; init; }
    [Id(6)] public string? Version { get; init; }
    [Id(7)] public string? StableVersion { get; init; }
    [Id(8)] public string Status { get; init; } = "";
    [Id(9)] public int? Stage { get; init; }
    [Id(10)] public int? Weight { get; init; }
    [Id(11)] public string Message { get; init; } = "";
    [Id(12)] public WebhookFigures? Figures { get; init; }
    /// <summary>The web console's page for the rollout or run.</summary>
    [Id(13)] public string Link { get; init; } = "";
    /// <summary>A gated stage's one-time approval page (<c>#/approve/{token}</c>), when the rollout waits at a gate.</summary>
    [Id(14)] public string? ApprovalLink { get; init; }
    /// <summary>The approval token itself, kept until the link is written; never serialized to receivers.</summary>
    [Id(15), System.Text.Json.Serialization.JsonIgnore] public string? ApprovalToken { get; init; }

    /// <summary>The console path of the rollout or run: <c>/#/rollouts/{service}/{number}</c> or <c>/#/workflows/{run}</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ConsolePath => RolloutId is not null ? $"/#/rollouts/{RolloutId}" : Run is not null ? $"/#/workflows/{Run}" : "/";
}

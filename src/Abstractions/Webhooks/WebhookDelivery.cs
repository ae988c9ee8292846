namespace Aviary.Webhooks;

/// <summary>One delivery as a hook's log shows it: what was sent, how it ended, how long it took.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WebhookDelivery")]
public sealed record WebhookDelivery
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string Event { get; init; } = "";
    /// <summary>When it ended (delivered, given up, or dropped).</summary>
    [Id(2)] public DateTimeOffset At { get; init; }
    /// <summary>Whether a 2xx answer came back.</summary>
    [Id(3)] public bool Delivered { get; init; }
    /// <summary>The last answer's status code, if any answer came.</summary>
    [Id(4)] public int? StatusCode { get; init; }
    /// <summary>Why the last attempt failed: a timeout, a refused connection, an outbox overflow.</summary>
    [Id(5)] public string? Error { get; init; }
    /// <summary>The last attempt's time to answer.</summary>
    [Id(6)] public double LatencyMs { get; init; }
    [Id(7)] public int Attempts { get; init; }
}

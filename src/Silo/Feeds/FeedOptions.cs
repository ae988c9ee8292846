namespace Aviary.Silo.Feeds;

/// <summary>The live event feeds (<c>Aviary:Feeds</c>): <c>/api/events</c> and <c>/api/events/ws</c>.</summary>
public sealed class FeedOptions
{
    /// <summary>How often a quiet feed sends a heartbeat. Default 30 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A WebSocket client that sends nothing (not even a ping) for this long is closed. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Live feeds this silo serves at once; one more is refused with 503. Default 1,000.</summary>
    public int MaxConnections { get; set; } = 1_000;

    /// <summary>Events waiting to be sent to one client; a client that falls further behind is dropped. Default 1,000.</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Recent events kept so that a client reconnecting with Last-Event-ID resumes. Default 10,000.</summary>
    public int Replay { get; set; } = 10_000;

    /// <summary>The window of the per-second metric aggregates. Default 10 s.</summary>
    public TimeSpan MetricsWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Why a setting is wrong, naming it, or null.</summary>
    public string? Validate()
    {
        if (Heartbeat < TimeSpan.FromMilliseconds(100) || Heartbeat > TimeSpan.FromMinutes(10))
            return $"Aviary:Feeds:Heartbeat: must be between 100 ms and 10 minutes (got {Heartbeat})";
        if (IdleTimeout <= Heartbeat)
            return $"Aviary:Feeds:IdleTimeout: must be longer than the heartbeat {Heartbeat} (got {IdleTimeout})";
        if (MaxConnections is < 1 or > 100_000)
            return $"Aviary:Feeds:MaxConnections: must be between 1 and 100,000 (got {MaxConnections})";
        if (QueueCapacity is < 16 or > 1_000_000)
            return $"Aviary:Feeds:QueueCapacity: must be between 16 and 1,000,000 (got {QueueCapacity})";
        if (Replay is < 0 or > 1_000_000)
            return $"Aviary:Feeds:Replay: must be between 0 and 1,000,000 (got {Replay})";
        if (MetricsWindow < TimeSpan.FromSeconds(1) || MetricsWindow > TimeSpan.FromHours(1))
            return $"Aviary:Feeds:MetricsWindow: must be between 1 s and 1 hour (got {MetricsWindow})";
        return null;
    }
}

namespace Aviary.Silo.Feeds;

/// <summary>
/// One message of a live feed: <see cref="Id"/> is null for messages that are not replayed
/// (heartbeats, metric aggregates, the feed's own notices) so a client's Last-Event-ID stays at
/// the last change it saw. <see cref="Type"/> says what happened (<c>stage-advanced</c>,
/// <c>events</c>, <c>snapshot</c>, <c>aggregate</c>, ...).
/// </summary>
public sealed record FeedEvent(string? Id, FeedKind Kind, string Type, string? Service, string? Run, DateTimeOffset At, object Data)
{
    /// <summary>Sequence number within this silo's feed (0 for messages without an id).</summary>
    public long Sequence { get; init; }
}

/// <summary>The feed's own notices, sent as kind <c>feed</c>.</summary>
public static class FeedNotices
{
    /// <summary>The state of everything the filter covers has been sent; what follows are changes.</summary>
    public const string SnapshotComplete = "snapshot-complete";

    /// <summary>The client's Last-Event-ID cannot be resumed from: a snapshot follows.</summary>
    public const string Reset = "reset";

    /// <summary>The client is being disconnected; <c>reason</c> says why.</summary>
    public const string Dropped = "dropped";

    public const string Heartbeat = "heartbeat";
}

namespace Aviary.Client.Traffic;

/// <summary>
/// What a load run saw: requests by HTTP status and by the version that answered (the gateway's
/// <c>x-aviary-version</c> header), latency percentiles, and the requests it could not send on
/// time (shed) or that never got an answer (transport errors).
/// </summary>
public sealed record LoadReport
{
    public long Sent { get; init; }
    public long Answered { get; init; }
    public long Shed { get; init; }
    public long TransportErrors { get; init; }
    public Dictionary<int, long> ByStatus { get; init; } = [];
    public Dictionary<string, VersionCount> ByVersion { get; init; } = [];
    public double P50Ms { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double Seconds { get; init; }
    public double AchievedRps => Seconds > 0 ? Answered / Seconds : 0;

    public sealed record VersionCount(long Requests, long Errors);
}

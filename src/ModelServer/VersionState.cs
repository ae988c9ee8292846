namespace Aviary.ModelServer;

/// <summary>Where a version stands: ready to serve, unknown to every source, still loading, or failed with the reason.</summary>
public sealed record VersionState(string Version, VersionStatus Status, ServedVersion? Served, string? Reason, DateTimeOffset At)
{
    public static VersionState Ready(ServedVersion served, DateTimeOffset at) => new(served.Name, VersionStatus.Ready, served, null, at);
}

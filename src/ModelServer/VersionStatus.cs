namespace Aviary.ModelServer;

/// <summary>Where a version stands.</summary>
public enum VersionStatus
{
    Ready,
    Unknown,
    Loading,
    Failed,
}

namespace Aviary.Deployments;

[GenerateSerializer, Alias("aviary.ReleaseOutcome")]
public enum ReleaseOutcome
{
    /// <summary>The first version of a service: stable at once.</summary>
    Initial = 0,
    InProgress = 1,
    Succeeded = 2,
    RolledBack = 3,
    Aborted = 4,
    /// <summary>An operator restored the previous stable version.</summary>
    Undone = 5,
}

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
    /// <summary>Waiting in the release queue for a slot, a release it depends on, or the end of a freeze.</summary>
    Queued = 6,
    /// <summary>Left the queue without starting: an operator withdrew it, or a release it waited for failed.</summary>
    Cancelled = 7,
}

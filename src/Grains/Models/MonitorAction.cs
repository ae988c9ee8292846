using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>What a monitor check asks its grain to do, after the new state is stored.</summary>
public abstract record MonitorAction
{
    /// <summary>Start the retraining workflow as run <paramref name="RunId"/>.</summary>
    public sealed record StartRetrain(string RunId) : MonitorAction;

    /// <summary>Register the card the retraining produced; roll it out if it beats the serving version.</summary>
    public sealed record RegisterCandidate(string Card, string Run) : MonitorAction;

    /// <summary>Abort the candidate's rollout (its traffic goes back to the serving version).</summary>
    public sealed record AbortCandidate(string Reason) : MonitorAction;

    /// <summary>Put <paramref name="Version"/> back as the serving version at once.</summary>
    public sealed record Rollback(string Version, string Reason) : MonitorAction;

    /// <summary>End the champion/challenger split; <paramref name="Challenger"/> takes all traffic if it won.</summary>
    public sealed record EndChallenge(string Challenger, bool ChallengerWon, string Reason) : MonitorAction;

    /// <summary>Point the champion alias at <paramref name="Version"/>.</summary>
    public sealed record SetChampion(string Version, string Reason) : MonitorAction;

    /// <summary>Tell the world: the model's log, the audit log, webhooks.</summary>
    public sealed record Tell(ModelEventKind Kind, string? Version, string Message) : MonitorAction;
}

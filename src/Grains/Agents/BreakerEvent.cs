namespace Aviary.Grains.Agents;

/// <summary>What a <see cref="CircuitBreaker"/> hears; its state moves only on these.</summary>
public enum BreakerEvent
{
    /// <summary>An attempt succeeded.</summary>
    Succeeded,

    /// <summary>An attempt failed in a way another attempt might not (a timeout included).</summary>
    Failed,

    /// <summary>An attempt failed because of its input (<see cref="Aviary.Workflows.ErrorKinds.IsDeterministic"/>): nothing about the agent's health.</summary>
    FailedOnInput,

    /// <summary>Open, and the recovery timeout has passed: an attempt asks to start.</summary>
    RecoveryDue,
}

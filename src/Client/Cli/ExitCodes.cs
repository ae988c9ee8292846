namespace Aviary.Client.Cli;

/// <summary>What <c>aviary</c> exits with, so a pipeline can act on it.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input or a request the current state refuses; one line names the field and the rule.</summary>
    public const int InvalidInput = 1;
    /// <summary>No silo answered at the given servers.</summary>
    public const int ServerUnreachable = 2;
    /// <summary>The watched rollout ended rolled back or aborted.</summary>
    public const int RolloutFailed = 3;

    /// <summary>The API refused the caller: no valid credential, or a role too low.</summary>
    public const int NotAllowed = 4;

    /// <summary><c>model compare</c>: the challenger is not better than the champion by the margin.</summary>
    public const int NotBetter = 5;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}

namespace Aviary.Grains.Webhooks;

/// <summary>How webhooks are delivered and how long approval links live (<c>Aviary:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Aviary:Webhooks";

    /// <summary>The first retry's delay; each next one doubles it (with jitter). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a gated stage's approval link may be used. Default 1 hour.</summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries of one hook in flight at once, so a slow receiver holds up only its own. Default 4.</summary>
    public int ConcurrencyPerHook { get; set; } = 4;

    /// <summary>The first bad setting in words, or null.</summary>
    public string? FirstFailure()
    {
        if (RetryDelay < TimeSpan.FromMilliseconds(1) || RetryDelay > TimeSpan.FromMinutes(5))
            return $"{Section}:RetryDelay: must be between 1 ms and 5 minutes (got {RetryDelay})";
        if (ApprovalLifetime < TimeSpan.FromSeconds(1) || ApprovalLifetime > TimeSpan.FromDays(7))
            return $"{Section}:ApprovalLifetime: must be between 1 second and 7 days (got {ApprovalLifetime})";
        if (ConcurrencyPerHook is < 1 or > 64)
            return $"{Section}:ConcurrencyPerHook: must be between 1 and 64 (got {ConcurrencyPerHook})";
        return null;
    }
}

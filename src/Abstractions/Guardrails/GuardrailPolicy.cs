namespace Aviary.Guardrails;

/// <summary>
/// The release rules of the whole cluster: when nothing new may ship (freeze windows), how many
/// rollouts may progress at once (cluster-wide and per group of services), and which services
/// need more than one person to let a rollout leave its first stage.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.GuardrailPolicy")]
public sealed record GuardrailPolicy
{
    public const int MaxFreezes = 50;
    public const int MaxGroups = 50;
    public const int MaxApprovalRules = 1000;

    /// <summary>Periods in which no new rollout may start (rollbacks and aborts always may).</summary>
    [Id(0)] public FreezeWindow[] Freezes { get; init; } = [];

    /// <summary>Rollouts that may be active (progressing or paused) at once in the cluster; 0 means no limit.</summary>
    [Id(1)] public int MaxActiveRollouts { get; init; }

    /// <summary>Groups of services with a limit of their own.</summary>
    [Id(2)] public ServiceGroup[] Groups { get; init; } = [];

    /// <summary>Services whose rollouts need distinct approvers before they leave their first stage.</summary>
    [Id(3)] public ApprovalRule[] Approvals { get; init; } = [];

    public static GuardrailPolicy None { get; } = new();

    /// <summary>Approvers a rollout of <paramref name="service"/> needs (0: none).</summary>
    public int RequiredApprovals(string service) =>
        Approvals.FirstOrDefault(a => a.Service == service)?.Required ?? 0;

    /// <summary>The groups <paramref name="service"/> belongs to.</summary>
    public IEnumerable<ServiceGroup> GroupsOf(string service) => Groups.Where(g => g.Services.Contains(service));
}

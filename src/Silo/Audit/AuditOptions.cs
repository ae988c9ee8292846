namespace Aviary.Silo.Audit;

/// <summary>The audit log's settings, section <c>Aviary:Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>How long entries are kept. Default 90 days, at least an hour.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}

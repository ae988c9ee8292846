namespace Aviary.Silo.Audit;

/// <summary>
/// One change asked of the API, accepted or refused: who, what (method, route, the service or
/// other target, the body with secrets removed), when, from where, and how it ended.
/// </summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Caller,
    string Method,
    string Route,
    string? Service,
    string Target,
    string? Body,
    string Remote,
    int Status,
    string Outcome,
    string? Reason)
{
    public const string Accepted = "accepted";
    public const string Refused = "refused";
}

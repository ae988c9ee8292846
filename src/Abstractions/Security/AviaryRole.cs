using Aviary.Errors;

namespace Aviary.Security;

/// <summary>
/// What a caller may do, each role including the ones below it: a viewer reads and watches; an
/// operator also deploys, promotes, pauses, resumes, aborts, undoes, runs and cancels workflows
/// and retries dead letters; an admin also manages keys and services, purges and changes settings.
/// </summary>
public enum AviaryRole
{
    Viewer = 1,
    Operator = 2,
    Admin = 3,
}

public static class AviaryRoles
{
    /// <summary>The role's name as callers write it and as it appears in a token's role claim.</summary>
    public static string Name(this AviaryRole role) => role switch
    {
        AviaryRole.Viewer => "viewer",
        AviaryRole.Operator => "operator",
        AviaryRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    public static bool TryParse(string? name, out AviaryRole role)
    {
        role = name switch
        {
            "viewer" => AviaryRole.Viewer,
            "operator" => AviaryRole.Operator,
            "admin" => AviaryRole.Admin,
            _ => 0,
        };
        return role != 0;
    }

    public static AviaryRole Parse(string? name, string field = "role") =>
        TryParse(name, out var role) ? role : throw new AviaryValidationException(field, "must be viewer, operator or admin");

    /// <summary>The role and every role it includes: what a caller holding it is granted.</summary>
    public static IEnumerable<AviaryRole> AndBelow(this AviaryRole role) =>
        Enum.GetValues<AviaryRole>().Where(r => r <= role);
}

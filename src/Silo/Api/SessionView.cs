using System.Security.Claims;
using Aviary.Security;

namespace Aviary.Silo.Api;

/// <summary>
/// Who the console is signed in as: the key's (or token's) name, the highest role held, and
/// whether authentication is on at all (off: the page skips its login).
/// </summary>
public sealed record SessionView(string Name, string Role, bool AuthEnabled)
{
    public static SessionView Of(ClaimsPrincipal user, bool enabled)
    {
        var role = Enum.GetValues<AviaryRole>().Where(r => user.IsInRole(r.Name())).DefaultIfEmpty(AviaryRole.Viewer).Max();
        return new SessionView(user.Identity?.Name ?? user.FindFirstValue("sub") ?? "anonymous", role.Name(), enabled);
    }
}

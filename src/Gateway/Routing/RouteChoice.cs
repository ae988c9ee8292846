using Aviary.Routes;

namespace Aviary.Gateway.Routing;

/// <summary>
/// Where one request goes: a version, or nowhere (the service has no version that can take
/// traffic); and, for a shadow rollout, the version a copy of it goes to, whose answer no client sees.
/// </summary>
public readonly record struct RouteChoice(VersionTarget? Target, bool IsCanary, VersionTarget? Mirror = null)
{
    public static RouteChoice Nowhere => new(null, false);
}

using Aviary.Routes;

namespace Aviary.Gateway.Routing;

/// <summary>Where one request goes: a version, or nowhere (the service has no version that can take traffic).</summary>
public readonly record struct RouteChoice(VersionTarget? Target, bool IsCanary)
{
    public static RouteChoice Nowhere => new(null, false);
}

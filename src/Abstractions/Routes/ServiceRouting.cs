namespace Aviary.Routes;

/// <summary>
/// How the gateway finds a service's requests, and which request fact keeps a user on one version.
/// A request matches when its Host is one of <see cref="Hosts"/> (any, when none are given) and its
/// path starts with <see cref="PathPrefix"/> (any, when empty); the prefix is removed before the
/// request is forwarded.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.ServiceRouting")]
public sealed record ServiceRouting
{
    /// <summary>Host names (lower case, no port) whose requests are this service's.</summary>
    [Id(0)] public string[] Hosts { get; init; } = [];

    /// <summary>A path prefix such as <c>/shop</c>, or empty.</summary>
    [Id(1)] public string PathPrefix { get; init; } = "";

    /// <summary>A request header whose value is the stickiness key (a user or session id), or empty.</summary>
    [Id(2)] public string StickyHeader { get; init; } = "";

    /// <summary>A cookie whose value is the stickiness key, or empty. Without either, the gateway sets its own cookie.</summary>
    [Id(3)] public string StickyCookie { get; init; } = "";

    /// <summary>What a service gets when it is deployed without being added first: requests whose Host is its name.</summary>
    public static ServiceRouting ByName(string service) => new() { Hosts = [service] };
}

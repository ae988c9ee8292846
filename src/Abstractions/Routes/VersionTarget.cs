namespace Aviary.Routes;

/// <summary>Where one version of a service runs: the base URLs of its instances, load-balanced by the gateway.</summary>
[GenerateSerializer, Immutable, Alias("aviary.VersionTarget")]
public sealed record VersionTarget
{
    [Id(0)] public string Version { get; init; } = "";

    /// <summary>Absolute http or https URLs; empty when the version receives no proxied traffic.</summary>
    [Id(1)] public string[] Destinations { get; init; } = [];
}

namespace Aviary.Harness.Orleans;

/// <summary>Which cluster to join: a gateway refuses clients whose ClusterId differs from its own.</summary>
public sealed record ClusterIdentity(string ClusterId, string ServiceId)
{
    /// <summary>The silo's defaults (<c>Aviary:ClusterId</c>, <c>Aviary:ServiceId</c>).</summary>
    public const string DefaultClusterId = "local";
    public const string DefaultServiceId = "aviary";
}

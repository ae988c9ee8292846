namespace Aviary.Gateway;

/// <summary>
/// How the standalone gateway finds its cluster, section <c>Aviary</c> (the silo's names for the
/// same things): <c>Aviary__Profile=cluster</c> with <c>Aviary__ConnectionString</c> reads the
/// silos from the PostgreSQL membership table; the embedded profile connects to one silo's
/// Orleans gateway at <see cref="SiloGateway"/>.
/// </summary>
public sealed class GatewayClusterOptions
{
    public const string Section = "Aviary";

    /// <summary><c>embedded</c> (default) or <c>cluster</c>.</summary>
    public string Profile { get; set; } = "embedded";

    /// <summary>The cluster profile's PostgreSQL connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The embedded profile's silo, host:port of its Orleans gateway. Default 127.0.0.1:30000.</summary>
    public string SiloGateway { get; set; } = "127.0.0.1:30000";

    public string ServiceId { get; set; } = "aviary";

    public string ClusterId { get; set; } = "local";

    /// <summary><c>text</c> or <c>json</c>.</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>TLS with certificates both ways to the silos (<c>Aviary:Tls</c>), as the silos have it.</summary>
    public OrleansTlsOptions Tls { get; set; } = new();

    public bool IsCluster => Profile == "cluster";

    public string? FirstFailure()
    {
        if (Profile is not ("embedded" or "cluster"))
            return $"Aviary:Profile: must be 'embedded' or 'cluster' (got '{Profile}')";
        if (IsCluster && string.IsNullOrWhiteSpace(ConnectionString))
            return "Aviary:ConnectionString: must be set for the cluster profile (a PostgreSQL connection string)";
        if (!IsCluster && !System.Net.IPEndPoint.TryParse(SiloGateway, out _))
            return $"Aviary:SiloGateway: must be an IP address and port such as 127.0.0.1:30000 (got '{SiloGateway}')";
        if (string.IsNullOrWhiteSpace(ServiceId))
            return "Aviary:ServiceId: must not be empty";
        if (string.IsNullOrWhiteSpace(ClusterId))
            return "Aviary:ClusterId: must not be empty";
        if (LogFormat is not ("text" or "json"))
            return $"Aviary:LogFormat: must be 'text' or 'json' (got '{LogFormat}')";
        return Tls.FirstFailure();
    }
}

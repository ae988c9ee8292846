namespace Aviary.Gateway;

/// <summary>
/// The gateway's settings, section <c>Aviary:Gateway</c> (in the silo and in the standalone
/// gateway alike): appsettings.json, environment (<c>Aviary__Gateway__Port=8000</c>) or the
/// command line (<c>--gateway-http-port 8000</c>).
/// </summary>
public sealed class AviaryGatewayOptions
{
    public const string Section = "Aviary:Gateway";

    /// <summary>Reserved path prefix of the gateway's own endpoints (health, metrics) on its port; never proxied.</summary>
    public const string AdminPrefix = "/_aviary";

    /// <summary>Serve the gateway inside the silo (embedded profile). Default true; the cluster profile runs gateways as their own pods.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether <c>/_aviary/metrics</c> wants a viewer's API key (default true; the silo's embedded gateway follows Aviary:Auth:Enabled).</summary>
    public bool MetricsRequireKey { get; set; } = true;

    /// <summary>Port the gateway takes traffic on. Default 8000.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Interface it listens on. Default <c>localhost</c>; <c>0.0.0.0</c> in containers.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>How often the gateway reads every route from the cluster, in case the route stream lost a change. Default 5 s.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often measured outcomes are sent to the metrics grains. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outcomes held while the cluster is unreachable; beyond this they are counted as dropped. Default 1,000,000 (4 MB).</summary>
    public int MaxPendingOutcomes { get; set; } = 1_000_000;

    /// <summary>Longest an upstream may stay silent before the request fails as a timeout (504, an error). Default 30 s.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Response statuses that count as errors: classes (<c>5xx</c>) and codes (<c>429</c>), comma-separated. Default <c>5xx</c>.</summary>
    public string ErrorStatuses { get; set; } = "5xx";

    /// <summary>Cookie the gateway sets to keep a client on one version when the service names no sticky header or cookie. Default <c>aviary-key</c>.</summary>
    public string StickyCookie { get; set; } = "aviary-key";

    /// <summary>YARP load-balancing policy across a version's destinations. Default <c>PowerOfTwoChoices</c>.</summary>
    public string LoadBalancingPolicy { get; set; } = "PowerOfTwoChoices";

    /// <summary>Path an active health check probes on each destination (e.g. <c>/healthz</c>), or empty for passive checks only. Default empty.</summary>
    public string HealthCheckPath { get; set; } = "";

    /// <summary>Period of the active health check. Default 10 s.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    public string Url => $"http://{Host}:{Port}";
}

namespace Aviary.Silo.Configuration;

/// <summary>
/// The silo's settings, section <c>Aviary</c>: appsettings.json, environment variables
/// (<c>Aviary__HttpPort=8081</c>) or the command line (<c>--http-port 8081</c>).
/// </summary>
public sealed class AviaryOptions
{
    public const string Section = "Aviary";

    /// <summary>
    /// <c>embedded</c> (default): one process, localhost clustering, state in a SQLite file.
    /// <c>cluster</c>: many silos sharing PostgreSQL (membership, grain state, reminders) through
    /// the Orleans ADO.NET providers; needs <see cref="ConnectionString"/>.
    /// </summary>
    public string Profile { get; set; } = StorageProfiles.Embedded;

    /// <summary>The cluster profile's PostgreSQL connection string (Npgsql format). Keep it in a secret or an environment variable.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <c>apply</c> (default): the silo brings the database to the latest schema at start (idempotent, one silo at a time).
    /// <c>verify</c>: the silo only checks the schema is current and refuses to start otherwise, for databases migrated
    /// by an operator (<c>aviary-silo apply-schema</c>).
    /// </summary>
    public string Schema { get; set; } = SchemaModes.Apply;

    /// <summary>The IP address other silos and clients reach this silo at. Default: environment variable <c>POD_IP</c>, else the first non-loopback address (loopback for the embedded profile).</summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>How long a silo may miss probes before the others declare it dead. Default 5 s per probe.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes that make a silo suspect another. Default 3.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How long the database may take to answer at start (the silo retries with backoff). Default 30 s.</summary>
    public TimeSpan DatabaseWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the embedded profile keeps its SQLite file. Default <c>data</c> (relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// What an acknowledged grain write survives in the embedded profile: <c>full</c> (default; fsync
    /// on every commit, survives power loss) or <c>process</c> (survives a killed process; the last
    /// commits before a power loss may be lost). See <see cref="Storage.SqliteDurability"/>.
    /// </summary>
    public string Durability { get; set; } = Storage.SqliteDurabilities.Full;

    /// <summary>Folders besides the data directory whose files runs started through the API may read (data-loader and source-file paths).</summary>
    public string[] InputRoots { get; set; } = [];

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the <c>aviary</c> console) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>HTTP API, dashboard, health. Default 8080.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Interface the HTTP server listens on. Default <c>localhost</c>; <c>0.0.0.0</c> in containers.</summary>
    public string HttpHost { get; set; } = "localhost";

    /// <summary><c>text</c> (readable on a terminal) or <c>json</c> (one object per line). Default text.</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Orleans ServiceId: part of every stored row's key. Default <c>aviary</c>.</summary>
    public string ServiceId { get; set; } = "aviary";

    /// <summary>Orleans ClusterId. Default <c>local</c>.</summary>
    public string ClusterId { get; set; } = "local";

    /// <summary>Period of the reminder that revives rollouts after a restart. Default 1 minute, at least 1 second.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Who may call the HTTP API (<c>Aviary:Auth</c>): API keys, OIDC tokens, roles.</summary>
    public Security.AuthOptions Auth { get; set; } = new();

    /// <summary>The API's audit log (<c>Aviary:Audit</c>).</summary>
    public Audit.AuditOptions Audit { get; set; } = new();

    /// <summary>Request rates per caller (<c>Aviary:Api</c>).</summary>
    public Api.ApiLimitsOptions Api { get; set; } = new();

    /// <summary>TLS with certificates both ways on Orleans' ports (<c>Aviary:Tls</c>): Certificate, Key, Ca (PEM files).</summary>
    public Aviary.Gateway.OrleansTlsOptions Tls { get; set; } = new();

    /// <summary>The live event feeds (<c>Aviary:Feeds</c>): heartbeat, idle timeout, bounds.</summary>
    public Feeds.FeedOptions Feeds { get; set; } = new();

    /// <summary>
    /// Where people reach this silo's web console: the root of the links webhooks send
    /// (<c>{PublicUrl}/#/rollouts/shop/3</c>, approval links). Default <c>http://localhost:{HttpPort}</c>.
    /// </summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Webhook delivery and approval links (<c>Aviary:Webhooks</c>).</summary>
    public Aviary.Grains.Webhooks.WebhookOptions Webhooks { get; set; } = new();

    /// <summary><see cref="PublicUrl"/>, or its default.</summary>
    public string PublicUrlOrDefault => PublicUrl.Length > 0 ? PublicUrl.TrimEnd('/') : $"http://localhost:{HttpPort}";

    public string HttpUrl => $"http://{HttpHost}:{HttpPort}";

    /// <summary>Where the first admin key is written: <see cref="Security.AuthOptions.AdminKeyFile"/>, else <c>admin.key</c> in the data directory.</summary>
    public string AdminKeyFile => Auth.AdminKeyFile.Length > 0 ? Auth.AdminKeyFile : Path.Combine(DataDirectory, "admin.key");

    /// <summary>Whether HTTP listens on this machine only.</summary>
    public bool HttpIsLoopback => HttpHost is "localhost" || (System.Net.IPAddress.TryParse(HttpHost.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    public bool IsCluster => Profile == StorageProfiles.Cluster;
}

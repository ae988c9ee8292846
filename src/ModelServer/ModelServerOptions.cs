namespace Aviary.ModelServer;

/// <summary>
/// The model server's settings, section <c>Aviary:ModelServer</c> (appsettings.json, environment
/// <c>Aviary__ModelServer__Model=price</c> or the command line <c>--Aviary:ModelServer:Model price</c>).
/// The port comes from <c>--urls</c> or <c>ASPNETCORE_URLS</c>.
/// </summary>
public sealed class ModelServerOptions
{
    public const string Section = "Aviary:ModelServer";

    /// <summary>The model whose versions this process serves. Required.</summary>
    public string Model { get; set; } = "";

    /// <summary>Versions served from local model cards: version → card path (for tests and local use).</summary>
    public Dictionary<string, string> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Ensembles served at the same route as versions: name → members and how to combine them.</summary>
    public Dictionary<string, EnsembleOptions> Ensembles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The Aviary API (e.g. <c>http://localhost:5000</c>): versions not configured locally are fetched from it, and observations are sent to it. Empty: neither.</summary>
    public string ApiUrl { get; set; } = "";

    /// <summary>The API key sent as <c>X-Api-Key</c>. Required with <see cref="ApiUrl"/>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Where cards and model files fetched from the API are kept. Default <c>data/model-cache</c>.</summary>
    public string CacheDirectory { get; set; } = Path.Combine("data", "model-cache");

    /// <summary>How often each version's observations are sent. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Predictions kept per version between sends; beyond this they are dropped and counted. Default 100,000.</summary>
    public int MaxPendingPredictions { get; set; } = 100_000;

    /// <summary>Longest a version may take to load (fetching included) before requests are answered 503. Default 60 s.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a failed load is remembered (answered 503) before the next request tries again. Default 10 s.</summary>
    public TimeSpan RetryLoadAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest one send of observations may take. Default 5 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per batch of observations (retries on no answer, timeouts, 408, 429, 5xx). Default 3.</summary>
    public int SendAttempts { get; set; } = 3;

    /// <summary>Largest request body accepted. Default 64 KiB.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    public bool HasApi => ApiUrl.Length > 0;
}

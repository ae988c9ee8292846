namespace Aviary.Workflows;

/// <summary>The agent kinds a plan may name.</summary>
public static class AgentKinds
{
    public const string DataLoader = "data-loader";
    public const string Explorer = "explorer";
    public const string Aggregator = "aggregator";
    public const string Predictor = "predictor";
    public const string AnomalyDetector = "anomaly-detector";
    public const string Recommender = "recommender";
    public const string Reporter = "reporter";
    public const string Visualizer = "visualizer";

    /// <summary>Checks a dataset against a schema and a reference (drift); fails as ValidationFailed.</summary>
    public const string Validator = "validator";

    /// <summary>Trains an ML.NET model and writes its model card.</summary>
    public const string Trainer = "trainer";

    /// <summary>Does nothing and succeeds: for benchmarks and plans under construction.</summary>
    public const string Noop = "noop";

    /// <summary>Sleeps for <c>input.duration</c>, fails on <c>input.fail</c>: for tests and demos of retries.</summary>
    public const string Simulated = "simulated";

    /// <summary>A file of a source tree (from-imports plans): checks that the file is readable.</summary>
    public const string SourceFile = "source-file";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        DataLoader, Explorer, Aggregator, Predictor, AnomalyDetector, Recommender, Reporter, Visualizer, Validator, Trainer, Noop, Simulated, SourceFile,
    };
}

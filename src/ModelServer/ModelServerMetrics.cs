using Prometheus;

namespace Aviary.ModelServer;

/// <summary>The model server's Prometheus metrics, in a registry of its own (served at <c>/metrics</c>).</summary>
public sealed class ModelServerMetrics
{
    public ModelServerMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("aviary_model_requests_total", "Prediction requests by version and outcome (ok, bad_request, unknown, unavailable).", "version", "outcome");
        Scoring = factory.CreateHistogram("aviary_model_scoring_seconds", "Time to score one request (encoding and prediction), by version.", new HistogramConfiguration
        {
            LabelNames = ["version"],
            Buckets = Histogram.ExponentialBuckets(0.00002, 2, 16),
        });
        Dropped = factory.CreateCounter("aviary_model_observations_dropped_total", "Predictions not reported to the API: the buffer was full, or the send failed after its retries.", "version", "reason");
        Batches = factory.CreateCounter("aviary_model_observation_batches_total", "Observation batches sent to the API, by outcome (sent, failed).", "outcome");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public Counter Requests { get; }

    public Histogram Scoring { get; }

    public Counter Dropped { get; }

    public Counter Batches { get; }
}

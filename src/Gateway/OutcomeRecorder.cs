using System.Buffers.Binary;
using System.Collections.Concurrent;
using Aviary.Metrics;

namespace Aviary.Gateway;

/// <summary>
/// Measured outcomes per service version, packed four bytes each as <see cref="SampleBatch"/>
/// carries them, waiting for <see cref="OutcomeFlusher"/>. The request path only appends under a
/// per-version lock. Outcomes stay counted as pending until the metrics grain has taken them; past
/// <see cref="AviaryGatewayOptions.MaxPendingOutcomes"/> new ones are counted as dropped, so a cluster
/// that cannot be reached never costs unbounded memory.
/// </summary>
public sealed class OutcomeRecorder(AviaryGatewayOptions options)
{
    private readonly ConcurrentDictionary<string, VersionOutcomes> _byCluster = new(StringComparer.Ordinal);
    private long _pending;

    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Keeps an outcome for the metrics grain.</summary>
    public void Record(string service, string version, string clusterId, bool ok, double latencyMs) =>
        Keep(For(service, version, clusterId), ok, latencyMs);

    /// <summary>
    /// Counts a proxied request in the exported metrics through the version's kept series, and
    /// keeps its outcome for the metrics grain: one lookup of the version for both.
    /// </summary>
    public void Measure(string service, string version, string clusterId, bool ok, double latencyMs)
    {
        var outcomes = For(service, version, clusterId);
        (ok ? outcomes.OkCount : outcomes.ErrorCount).Inc();
        outcomes.Latency.Observe(latencyMs);
        Keep(outcomes, ok, latencyMs);
    }

    private void Keep(VersionOutcomes outcomes, bool ok, double latencyMs)
    {
        if (Interlocked.Increment(ref _pending) > options.MaxPendingOutcomes)
        {
            Interlocked.Decrement(ref _pending);
            GatewayMeters.DroppedOutcomes.Add(1);
            return;
        }
        outcomes.Add(SampleBatch.Pack(new Sample(ok, latencyMs)));
    }

    private VersionOutcomes For(string service, string version, string clusterId) =>
        _byCluster.GetOrAdd(clusterId, static (_, key) => new VersionOutcomes(key.service, key.version), (service, version));

    /// <summary>Takes every version's outcomes so far; each must be <see cref="Delivered"/> or <see cref="Return"/>ed.</summary>
    public List<(VersionOutcomes Version, byte[] Packed)> Take()
    {
        var taken = new List<(VersionOutcomes, byte[])>();
        foreach (var outcomes in _byCluster.Values)
        {
            if (outcomes.Take() is { } packed)
                taken.Add((outcomes, packed));
        }
        return taken;
    }

    public void Delivered(int samples)
    {
        Interlocked.Add(ref _pending, -samples);
        GatewayMeters.FlushedOutcomes.Add(samples);
    }

    /// <summary>Puts outcomes that could not be delivered back, for the next flush.</summary>
    public static void Return(VersionOutcomes version, byte[] packed) => version.Add(packed);

    /// <summary>One version's pending outcomes.</summary>
    public sealed class VersionOutcomes(string service, string version)
    {
        private readonly Lock _gate = new();
        private byte[] _buffer = new byte[1024];
        private int _length;

        public string Service { get; } = service;
        public string Version { get; } = version;

        /// <summary>This version's exported series, looked up once.</summary>
        public Prometheus.Counter.Child OkCount { get; } = GatewayMeters.Requests.WithLabels(service, version, "ok");
        public Prometheus.Counter.Child ErrorCount { get; } = GatewayMeters.Requests.WithLabels(service, version, "error");
        public Prometheus.Histogram.Child Latency { get; } = GatewayMeters.Duration.WithLabels(service, version);

        public void Add(uint packed)
        {
            lock (_gate)
            {
                Reserve(4);
                BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), packed);
                _length += 4;
            }
        }

        public void Add(byte[] packed)
        {
            lock (_gate)
            {
                Reserve(packed.Length);
                packed.CopyTo(_buffer, _length);
                _length += packed.Length;
            }
        }

        public byte[]? Take()
        {
            lock (_gate)
            {
                if (_length == 0)
                    return null;
                var taken = _buffer.AsSpan(0, _length).ToArray();
                _length = 0;
                return taken;
            }
        }

        private void Reserve(int bytes)
        {
            if (_length + bytes <= _buffer.Length)
                return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }
}

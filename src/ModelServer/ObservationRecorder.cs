using System.Collections.Concurrent;
using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.ModelServer;

/// <summary>
/// What one version saw since its last batch: requests, their inputs counted into the version's
/// reference bins, and its predictions, at most <c>maxPending</c> of them (the rest counted as
/// dropped). Recording only increments counters and enqueues; <see cref="Take"/> swaps them out.
/// </summary>
public sealed class ObservationRecorder
{
    private readonly ReferenceProfile _reference;
    private readonly long[][] _counts;
    private readonly long[] _missing;
    private readonly ConcurrentQueue<PredictionRecord> _predictions = new();
    private readonly int _maxPending;
    private long _requests;
    private int _pending;
    private long _dropped;

    public ObservationRecorder(string version, ReferenceProfile reference, int maxPending)
    {
        Version = version;
        _reference = reference;
        _counts = [.. reference.Features.Select(f => new long[f.Bins])];
        _missing = new long[reference.Features.Length];
        _maxPending = maxPending;
    }

    public string Version { get; }

    /// <summary>Predictions dropped since the start because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(IReadOnlyDictionary<string, JsonElement> features, PredictionRecord prediction)
    {
        Interlocked.Increment(ref _requests);
        var references = _reference.Features;
        for (var f = 0; f < references.Length; f++)
        {
            var bin = features.TryGetValue(references[f].Name, out var value) ? FeatureBinning.Bin(references[f], value) : FeatureBinning.Missing;
            if (bin == FeatureBinning.Missing)
                Interlocked.Increment(ref _missing[f]);
            else
                Interlocked.Increment(ref _counts[f][bin]);
        }
        if (Interlocked.Increment(ref _pending) > _maxPending)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _predictions.Enqueue(prediction);
    }

    /// <summary>Everything recorded since the last call, or null when nothing was.</summary>
    public ModelObservationBatch? Take()
    {
        var requests = Interlocked.Exchange(ref _requests, 0);
        var features = new FeatureCounts[_counts.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var counts = new long[_counts[f].Length];
            for (var b = 0; b < counts.Length; b++)
                counts[b] = Interlocked.Exchange(ref _counts[f][b], 0);
            features[f] = new FeatureCounts { Name = _reference.Features[f].Name, Counts = counts, Missing = Interlocked.Exchange(ref _missing[f], 0) };
        }
        var predictions = new List<PredictionRecord>(Math.Min(Volatile.Read(ref _pending), _maxPending));
        while (predictions.Count < _maxPending && _predictions.TryDequeue(out var prediction))
        {
            predictions.Add(prediction);
            Interlocked.Decrement(ref _pending);
        }
        if (requests == 0 && predictions.Count == 0)
            return null;
        return new ModelObservationBatch { Version = Version, Requests = requests, Features = features, Predictions = [.. predictions] };
    }
}

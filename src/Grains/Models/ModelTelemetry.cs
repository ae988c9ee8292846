using Aviary.Errors;
using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>
/// A model's live figures, pure and in memory (the shell is <see cref="ModelTelemetryGrain"/>):
/// per version, slots of <see cref="SlotWidth"/> kept for <see cref="Retention"/>; and the
/// predictions waiting for their labels, at most <see cref="MaxPending"/> for at most
/// <see cref="Retention"/>, the oldest dropped first. A prediction of a shadow copy is paired with
/// the serving version's prediction for the same request id, whichever arrives first.
/// </summary>
public sealed class ModelTelemetry(int maxPending = ModelTelemetry.DefaultMaxPending)
{
    public const int DefaultMaxPending = 200_000;
    public const int MaxFeatures = 256;
    public const int MaxBins = 1_000;
    public const int MaxPredictionsPerBatch = 100_000;
    public const int MaxRequestIdLength = 200;
    public static readonly TimeSpan SlotWidth = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly Dictionary<string, Queue<TelemetrySlot>> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TelemetrySlot> _newest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Version, PredictionRecord Prediction)>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<(string RequestId, DateTimeOffset At)> _arrivals = new();
    private long _expired;

    public int Pending => _pending.Count;

    /// <summary>Checks a batch before anything of it is kept: a bad one changes nothing.</summary>
    public static void Validate(ModelObservationBatch batch)
    {
        Identifiers.ValidateVersion(batch.Version);
        if (batch.Requests < 0)
            throw new AviaryValidationException("requests", "must not be negative");
        if (batch.Features.Length > MaxFeatures)
            throw new AviaryValidationException("features", $"must be at most {MaxFeatures}");
        for (var i = 0; i < batch.Features.Length; i++)
        {
            var f = batch.Features[i];
            if (string.IsNullOrEmpty(f.Name) || f.Name.Length > 200 || f.Name.Any(char.IsControl))
                throw new AviaryValidationException($"features[{i}].name", "must be 1–200 characters without control characters");
            if (f.Counts.Length > MaxBins || f.Counts.Any(c => c < 0) || f.Missing < 0)
                throw new AviaryValidationException($"features[{i}].counts", $"must be at most {MaxBins} counts, none negative");
        }
        if (batch.Predictions.Length > MaxPredictionsPerBatch)
            throw new AviaryValidationException("predictions", $"must be at most {MaxPredictionsPerBatch} per batch");
        for (var i = 0; i < batch.Predictions.Length; i++)
        {
            var p = batch.Predictions[i];
            ValidateRequestId(p.RequestId, $"predictions[{i}].requestId");
            if (!double.IsFinite(p.Value) || !double.IsFinite(p.LatencyMs) || p.LatencyMs < 0)
                throw new AviaryValidationException($"predictions[{i}]", "value and latencyMs must be finite numbers, latencyMs not negative");
            if (p.Label is not (null or "true" or "false"))
                throw new AviaryValidationException($"predictions[{i}].label", "must be true, false or absent");
        }
    }

    public static string ValidateRequestId(string? id, string field)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxRequestIdLength || id.Any(char.IsControl))
            throw new AviaryValidationException(field, $"must be 1–{MaxRequestIdLength} characters without control characters");
        return id;
    }

    public void Record(ModelObservationBatch batch, DateTimeOffset now)
    {
        Validate(batch);
        Expire(now);
        var slot = SlotOf(batch.Version, now);
        slot.Requests += batch.Requests;
        foreach (var counts in batch.Features)
            slot.Count(counts);
        foreach (var prediction in batch.Predictions)
        {
            if (prediction.Shadow)
                slot.ShadowRequests++;
            if (!_pending.TryGetValue(prediction.RequestId, out var answers))
            {
                answers = new(2);
                _pending[prediction.RequestId] = answers;
                _arrivals.Enqueue((prediction.RequestId, now));
            }
            foreach (var (version, other) in answers)
            {
                if (version == batch.Version || other.Shadow == prediction.Shadow)
                    continue;
                if (prediction.Shadow)
                    slot.Pair(prediction, other);
                else
                    SlotOf(version, now).Pair(other, prediction);
            }
            answers.Add((batch.Version, prediction));
        }
        // Labelled requests leave their arrival behind: the queue is bounded too.
        while ((_pending.Count > maxPending || _arrivals.Count > 2 * maxPending) && _arrivals.TryDequeue(out var oldest))
            Drop(oldest.RequestId);
    }

    /// <summary>Joins each label with its request's predictions; an unknown id refuses the whole batch (nothing recorded).</summary>
    public int Feedback(IReadOnlyList<Feedback> labels, DateTimeOffset now)
    {
        Expire(now);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var id = ValidateRequestId(labels[i].RequestId, labels.Count == 1 ? "requestId" : $"labels[{i}].requestId");
            if (!double.IsFinite(labels[i].Value))
                throw new AviaryValidationException(labels.Count == 1 ? "value" : $"labels[{i}].value", "must be a finite number (1/0 or true/false for a binary label)");
            if (!seen.Add(id))
                throw new AviaryValidationException($"labels[{i}].requestId", $"'{id}' is labelled twice in this batch");
            if (!_pending.ContainsKey(id))
                throw new AviaryNotFoundException(labels.Count == 1 ? "requestId" : $"labels[{i}].requestId",
                    $"no prediction '{id}' waits for a label (unknown, labelled already, or older than {Durations.Format(Retention)})");
        }
        foreach (var label in labels)
        {
            foreach (var (version, prediction) in _pending[label.RequestId])
                SlotOf(version, now).Label(prediction, label.Value);
            _pending.Remove(label.RequestId);
        }
        return labels.Count;
    }

    public ModelTelemetryView View(string model, TimeSpan window, double agreementTolerance, DateTimeOffset now)
    {
        Expire(now);
        var after = now - window - SlotWidth;
        var versions = new List<VersionTelemetry>();
        foreach (var (version, slots) in _versions.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var inWindow = slots.Where(s => s.Start > after).ToList();
            if (inWindow.Count > 0)
                versions.Add(Merge(version, inWindow, agreementTolerance));
        }
        return new ModelTelemetryView { Model = model, Window = window, Versions = [.. versions], Pending = _pending.Count, Expired = _expired };
    }

    private static VersionTelemetry Merge(string version, List<TelemetrySlot> slots, double tolerance)
    {
        var features = new Dictionary<string, (long[] Counts, long Missing)>(StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            foreach (var (name, (counts, missing)) in slot.Features)
            {
                if (!features.TryGetValue(name, out var total) || total.Counts.Length != counts.Length)
                    total = (new long[counts.Length], 0);
                for (var i = 0; i < counts.Length; i++)
                    total.Counts[i] += counts[i];
                features[name] = (total.Counts, total.Missing + missing);
            }
        }
        long labels = slots.Sum(s => s.Labels), correct = slots.Sum(s => s.Correct);
        long tp = slots.Sum(s => s.TruePositives), fp = slots.Sum(s => s.FalsePositives), fn = slots.Sum(s => s.FalseNegatives);
        double abs = slots.Sum(s => s.AbsError), squared = slots.Sum(s => s.SquaredError), sum = slots.Sum(s => s.SumTruth), sumSquared = slots.Sum(s => s.SumTruthSquared);
        var binary = slots.Any(s => s.Binary);
        var quality = labels == 0 ? new QualityFigures() : binary
            ? new QualityFigures
            {
                Labels = labels,
                Metric = "accuracy",
                Value = (double)correct / labels,
                F1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn),
            }
            : new QualityFigures
            {
                Labels = labels,
                Metric = "r2",
                Value = (sumSquared - sum * sum / labels) is var spread and > 0 ? 1 - squared / spread : 0,
                Mae = abs / labels,
                Rmse = Math.Sqrt(squared / labels),
            };
        long compared = 0, agreeing = 0;
        double extra = 0;
        foreach (var slot in slots)
        {
            for (var bin = 0; bin < slot.PairsByDifference.Length; bin++)
            {
                compared += slot.PairsByDifference[bin];
                if (bin < TelemetrySlot.AgreementEdges.Length && TelemetrySlot.AgreementEdges[bin] <= tolerance + 1e-12)
                    agreeing += slot.PairsByDifference[bin];
            }
            extra += slot.ExtraLatencyMs;
        }
        return new VersionTelemetry
        {
            Version = version,
            Requests = slots.Sum(s => s.Requests),
            ShadowRequests = slots.Sum(s => s.ShadowRequests),
            Features = [.. features.Select(f => new FeatureCounts { Name = f.Key, Counts = f.Value.Counts, Missing = f.Value.Missing })],
            Quality = quality,
            Agreement = new AgreementFigures { Compared = compared, Agreeing = agreeing, ExtraLatencyMs = compared == 0 ? 0 : extra / compared },
        };
    }

    private TelemetrySlot SlotOf(string version, DateTimeOffset now)
    {
        if (!_versions.TryGetValue(version, out var slots))
            _versions[version] = slots = new Queue<TelemetrySlot>();
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % SlotWidth.Ticks, TimeSpan.Zero);
        if (slots.Count == 0 || !_newest.TryGetValue(version, out var newest) || newest.Start < start)
        {
            newest = new TelemetrySlot(start);
            slots.Enqueue(newest);
            _newest[version] = newest;
        }
        return newest;
    }

    private void Expire(DateTimeOffset now)
    {
        var oldest = now - Retention;
        while (_arrivals.TryPeek(out var first) && first.At < oldest)
        {
            _arrivals.Dequeue();
            Drop(first.RequestId);
        }
        foreach (var slots in _versions.Values)
        {
            while (slots.TryPeek(out var slot) && slot.Start < oldest - SlotWidth)
                slots.Dequeue();
        }
        foreach (var idle in _versions.Where(v => v.Value.Count == 0).Select(v => v.Key).ToList())
        {
            _versions.Remove(idle);
            _newest.Remove(idle);
        }
    }

    private void Drop(string requestId)
    {
        if (_pending.Remove(requestId))
            _expired++;
    }
}

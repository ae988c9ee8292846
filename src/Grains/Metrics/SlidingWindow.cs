using Aviary.Metrics;

namespace Aviary.Grains.Metrics;

/// <summary>
/// Request outcomes in one-second slots, kept for <see cref="Retention"/>. A snapshot merges
/// the slots inside the asked window. Slots are allocated only when traffic arrives, so an idle
/// window costs nothing but its shell; retention grows to the longest window asked for.
/// </summary>
public sealed class SlidingWindow(TimeSpan retention)
{
    public static readonly TimeSpan SlotWidth = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetention = TimeSpan.FromHours(1);

    private readonly Queue<Slot> _slots = new();
    private Slot? _newest;

    public TimeSpan Retention { get; private set; } = retention;

    public void Add(SampleBatch batch, DateTimeOffset now)
    {
        var slot = CurrentSlot(now);
        for (var i = 0; i < batch.Count; i++)
        {
            var sample = batch[i];
            slot.Histogram.Add(sample.LatencyMs);
            if (!sample.Ok)
                slot.Errors++;
        }
    }

    public void Add(Sample sample, DateTimeOffset now)
    {
        var slot = CurrentSlot(now);
        slot.Histogram.Add(sample.LatencyMs);
        if (!sample.Ok)
            slot.Errors++;
    }

    /// <summary>
    /// What the slots overlapping the last <paramref name="window"/> hold: the window rounded out
    /// to whole slots, so a check right after a slot boundary still sees the slot before it.
    /// </summary>
    public MetricsSnapshot Snapshot(TimeSpan window, DateTimeOffset now)
    {
        Retain(window);
        Prune(now);
        var after = now - window - SlotWidth;
        var merged = new LatencyHistogram();
        long errors = 0;
        foreach (var slot in _slots)
        {
            if (slot.Start <= after)
                continue;
            merged.Merge(slot.Histogram);
            errors += slot.Errors;
        }
        var (offset, buckets) = merged.Buckets();
        return new MetricsSnapshot
        {
            Buckets = buckets,
            BucketOffset = offset,
            Count = merged.Count,
            Errors = errors,
            AvgMs = merged.Count == 0 ? 0 : merged.SumMs / merged.Count,
            P50Ms = merged.Percentile(0.50),
            P95Ms = merged.Percentile(0.95),
            P99Ms = merged.Percentile(0.99),
            Window = window,
        };
    }

    public int SlotCount => _slots.Count;

    /// <summary>Keeps at least <paramref name="window"/> of slots from now on (capped at <see cref="MaxRetention"/>).</summary>
    public void Retain(TimeSpan window)
    {
        if (window > Retention)
            Retention = window < MaxRetention ? window : MaxRetention;
    }

    /// <summary>True when every slot has aged out: nothing recent is held.</summary>
    public bool IsEmpty(DateTimeOffset now)
    {
        Prune(now);
        return _slots.Count == 0;
    }

    private Slot CurrentSlot(DateTimeOffset now)
    {
        var start = SlotStart(now);
        if (_newest is not null && _newest.Start >= start)
            return _newest; // a clock that steps back lands in the newest slot rather than reordering
        Prune(now);
        _newest = new Slot(start);
        _slots.Enqueue(_newest);
        return _newest;
    }

    private void Prune(DateTimeOffset now)
    {
        var after = now - Retention - SlotWidth;
        while (_slots.Count > 0 && _slots.Peek().Start <= after)
        {
            if (ReferenceEquals(_slots.Dequeue(), _newest))
                _newest = null;
        }
    }

    private static DateTimeOffset SlotStart(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % SlotWidth.Ticks, TimeSpan.Zero);

    private sealed class Slot(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public LatencyHistogram Histogram { get; } = new();
        public long Errors { get; set; }
    }
}

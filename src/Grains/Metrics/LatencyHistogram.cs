namespace Aviary.Grains.Metrics;

/// <summary>
/// Latency counts in log-spaced buckets: bucket 0 holds [0, 0.1 ms), bucket i ≥ 1 holds
/// [0.1 × 1.1^(i-1), 0.1 × 1.1^i) ms, up to about 62 s; the last bucket takes everything
/// above and percentiles falling there are bounded by the largest latency seen.
/// Percentiles interpolate inside a bucket, so their error stays within a few percent.
/// Mergeable, no sorting of samples. Only the buckets between the smallest and the largest
/// latency seen are held (an offset and a short array), so a slot of requests that all take
/// 20–40 ms costs eight counters, not a hundred and forty.
/// </summary>
public sealed class LatencyHistogram
{
    public const int BucketCount = 142;
    private const double Base = 0.1;
    private const double Ratio = 1.1;
    private static readonly double LogRatio = Math.Log(Ratio);

    private int[] _buckets = [];
    private int _offset; // bucket index of _buckets[0]

    public long Count { get; private set; }
    public double SumMs { get; private set; }
    public double MinMs { get; private set; } = double.PositiveInfinity;
    public double MaxMs { get; private set; }

    public void Add(double latencyMs)
    {
        if (double.IsNaN(latencyMs) || latencyMs < 0)
            latencyMs = 0;
        var bucket = BucketOf(latencyMs);
        Cover(bucket, bucket + 1);
        _buckets[bucket - _offset]++;
        Count++;
        SumMs += latencyMs;
        if (latencyMs < MinMs) MinMs = latencyMs;
        if (latencyMs > MaxMs) MaxMs = latencyMs;
    }

    public void Merge(LatencyHistogram other)
    {
        if (other._buckets.Length > 0)
        {
            Cover(other._offset, other._offset + other._buckets.Length);
            for (var i = 0; i < other._buckets.Length; i++)
                _buckets[other._offset - _offset + i] += other._buckets[i];
        }
        Count += other.Count;
        SumMs += other.SumMs;
        MinMs = Math.Min(MinMs, other.MinMs);
        MaxMs = Math.Max(MaxMs, other.MaxMs);
    }

    /// <summary>A copy of the counts held, and the bucket index of the first.</summary>
    public (int Offset, int[] Counts) Buckets() => (_offset, (int[])_buckets.Clone());

    /// <summary>The latency below which a fraction <paramref name="q"/> of samples fall (0 when empty).</summary>
    public double Percentile(double q)
    {
        if (Count == 0)
            return 0;
        var rank = q * Count;
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            var inBucket = _buckets[i];
            if (inBucket == 0 || seen + inBucket < rank)
            {
                seen += inBucket;
                continue;
            }
            var (low, high) = Bounds(_offset + i);
            low = Math.Max(low, MinMs);
            high = Math.Min(high, MaxMs);
            var fraction = Math.Clamp((rank - seen) / inBucket, 0, 1);
            return low + (high - low) * fraction;
        }
        return MaxMs;
    }

    /// <summary>Widens the held range to include buckets [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private void Cover(int from, int to)
    {
        if (_buckets.Length == 0)
        {
            // A little room on each side: the next latencies are likely near this one.
            _offset = Math.Max(0, from - 2);
            _buckets = new int[Math.Min(BucketCount, to + 2) - _offset];
            return;
        }
        var end = _offset + _buckets.Length;
        if (from >= _offset && to <= end)
            return;
        // Grow by at least four buckets on the side that needs it, so ranges do not creep one at a time.
        var newOffset = from < _offset ? Math.Max(0, Math.Min(from, _offset - 4)) : _offset;
        var newEnd = to > end ? Math.Min(BucketCount, Math.Max(to, end + 4)) : end;
        var grown = new int[newEnd - newOffset];
        Array.Copy(_buckets, 0, grown, _offset - newOffset, _buckets.Length);
        _buckets = grown;
        _offset = newOffset;
    }

    public static int BucketOf(double latencyMs)
    {
        if (latencyMs < Base)
            return 0;
        var index = (int)(Math.Log(latencyMs / Base) / LogRatio) + 1;
        return Math.Min(index, BucketCount - 1);
    }

    public static (double Low, double High) Bounds(int bucket) => bucket == 0
        ? (0, Base)
        : (Base * Math.Pow(Ratio, bucket - 1), bucket == BucketCount - 1 ? double.MaxValue : Base * Math.Pow(Ratio, bucket));
}

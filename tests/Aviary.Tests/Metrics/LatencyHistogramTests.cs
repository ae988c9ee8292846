using Aviary.Grains.Metrics;

namespace Aviary.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_OfUniform1To1000_AreWithinFivePercentOfExact()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
            histogram.Add(ms);

        // Exact nearest-rank percentiles of 1..1000 are 500, 950 and 990.
        Assert.InRange(histogram.Percentile(0.50), 475, 525);
        Assert.InRange(histogram.Percentile(0.95), 902, 998);
        Assert.InRange(histogram.Percentile(0.99), 940, 1000);
        Assert.Equal(1000, histogram.Count);
        Assert.Equal(500.5, histogram.SumMs / histogram.Count);
    }

    [Fact]
    public void Percentile_OfIdenticalValues_IsThatValue()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 100; i++)
            histogram.Add(42);

        Assert.Equal(42, histogram.Percentile(0.95), 6);
    }

    [Fact]
    public void Percentile_Empty_IsZero()
    {
        Assert.Equal(0, new LatencyHistogram().Percentile(0.95));
    }

    [Fact]
    public void Merge_EqualsAddingEverythingToOne()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var both = new LatencyHistogram();
        for (var i = 1; i <= 500; i++)
        {
            a.Add(i);
            b.Add(i * 3);
            both.Add(i);
            both.Add(i * 3);
        }
        a.Merge(b);

        Assert.Equal(both.Count, a.Count);
        Assert.Equal(both.Percentile(0.95), a.Percentile(0.95));
        Assert.Equal(both.MaxMs, a.MaxMs);
    }

    [Fact]
    public void Add_HugeLatency_LandsInLastBucketAndPercentileIsBoundedByMax()
    {
        var histogram = new LatencyHistogram();
        histogram.Add(5_000_000);

        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(5_000_000));
        Assert.Equal(5_000_000, histogram.Percentile(0.99), 3);
    }

    [Fact]
    public void Merge_OfDisjointRangesInEitherOrder_KeepsEveryCount()
    {
        // Slow into fast and fast into slow: the held bucket range must widen on both sides.
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 90; i++)
            fast.Add(0.05); // bucket 0
        for (var i = 0; i < 10; i++)
            slow.Add(30_000);

        var slowFirst = new LatencyHistogram();
        slowFirst.Merge(slow);
        slowFirst.Merge(fast);
        fast.Merge(slow);

        foreach (var merged in new[] { fast, slowFirst })
        {
            Assert.Equal(100, merged.Count);
            Assert.InRange(merged.Percentile(0.50), 0, 0.1);
            Assert.InRange(merged.Percentile(0.95), 27_000, 30_000);
        }
    }

    [Fact]
    public void Add_DescendingLatencies_CountsEachInItsBucket()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1000; ms >= 1; ms--)
            histogram.Add(ms);

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.Percentile(0.50), 475, 525);
        Assert.InRange(histogram.Percentile(0.01), 9, 11);
    }
}

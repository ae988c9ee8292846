using Aviary.Grains.Metrics;
using Aviary.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Metrics;

public sealed class SlidingWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Snapshot_CountsErrorsAndLatencyOfSamplesInWindow()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(10));
        var samples = Enumerable.Range(1, 100).Select(i => new Sample(i % 10 != 0, i)).ToArray();
        window.Add(SampleBatch.From(samples), _time.GetUtcNow());

        var snapshot = window.Snapshot(TimeSpan.FromSeconds(10), _time.GetUtcNow());

        Assert.Equal(100, snapshot.Count);
        Assert.Equal(10, snapshot.Errors);
        Assert.Equal(0.10, snapshot.ErrorRate);
        Assert.Equal(50.5, snapshot.AvgMs, 2);
        Assert.InRange(snapshot.P95Ms, 90, 100);
    }

    [Fact]
    public void Snapshot_ExcludesSamplesOlderThanWindow()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(60));
        window.Add(new Sample(false, 500), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        window.Add(new Sample(true, 10), _time.GetUtcNow());
        window.Add(new Sample(true, 10), _time.GetUtcNow());

        var recent = window.Snapshot(TimeSpan.FromSeconds(10), _time.GetUtcNow());
        var all = window.Snapshot(TimeSpan.FromSeconds(60), _time.GetUtcNow());

        Assert.Equal(2, recent.Count);
        Assert.Equal(0, recent.Errors);
        Assert.Equal(3, all.Count);
        Assert.Equal(1, all.Errors);
    }

    [Fact]
    public void Add_DropsSlotsPastRetention()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 30; i++)
        {
            window.Add(new Sample(true, 1), _time.GetUtcNow());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(window.SlotCount, 5, 7);
        Assert.Equal(0, window.Snapshot(TimeSpan.FromSeconds(5), _time.GetUtcNow() + TimeSpan.FromMinutes(1)).Count);
    }

    [Fact]
    public void SampleBatch_RoundTripsOutcomeAndLatencyToTheMicrosecond()
    {
        var batch = SampleBatch.From([new Sample(true, 12.345), new Sample(false, 0), new Sample(false, 1999.999)]);

        Assert.Equal(3, batch.Count);
        Assert.Equal(new Sample(true, 12.345), batch[0]);
        Assert.Equal(new Sample(false, 0), batch[1]);
        Assert.Equal(new Sample(false, 1999.999), batch[2]);
    }
}

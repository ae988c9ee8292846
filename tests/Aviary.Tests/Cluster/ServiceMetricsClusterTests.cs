using Aviary.Errors;
using Aviary.Harness;
using Aviary.Metrics;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ServiceMetricsClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SamplesOnTheServiceStream_LandInTheirVersionsWindow()
    {
        var service = RolloutDriver.UniqueService("metrics-stream");
        var stream = SampleStream.For(fixture.Client.GetStreamProvider(Names.StreamProvider), service);
        await SampleStream.PublishAsync(stream, "v1", Enumerable.Range(0, 10).Select(_ => new Sample(true, 10)).ToArray());
        await SampleStream.PublishAsync(stream, "v2", Enumerable.Range(0, 4).Select(i => new Sample(i != 0, 80)).ToArray());

        var metrics = fixture.Client.GetGrain<IServiceMetricsGrain>(service);
        var both = await Poll.UntilAsync(() => metrics.CompareAsync("v2", "v1", TimeSpan.FromSeconds(5)), c => c.Canary.Count == 4 && c.Stable.Count == 10, "both windows filled from the stream");

        Assert.Equal(1, both.Canary.Errors);
        Assert.Equal(80, both.Canary.P95Ms, 0);
        Assert.Equal(0, both.Stable.Errors);
        Assert.Equal(10, both.Stable.P95Ms, 0);
        Assert.Equal(0, (await metrics.GetSnapshotAsync("v3", TimeSpan.FromSeconds(5))).Count);
    }

    [Fact]
    public async Task Compare_BadVersionOrWindow_NamesTheField()
    {
        var metrics = fixture.Client.GetGrain<IServiceMetricsGrain>(RolloutDriver.UniqueService("metrics-bad"));

        var version = await Assert.ThrowsAsync<AviaryValidationException>(() => metrics.CompareAsync("", "v1", TimeSpan.FromSeconds(1)));
        var window = await Assert.ThrowsAsync<AviaryValidationException>(() => metrics.CompareAsync("v2", "v1", TimeSpan.Zero));

        Assert.Equal("canaryVersion", version.Field);
        Assert.Equal("window", window.Field);
    }

    [Fact]
    public async Task AnIdleVersion_AgesOutWhileTheOtherKeepsReporting()
    {
        var service = RolloutDriver.UniqueService("metrics-idle");
        var metrics = fixture.Client.GetGrain<IServiceMetricsGrain>(service);
        await metrics.GetSnapshotAsync("v1", TimeSpan.FromSeconds(2)); // retain 2 s
        await metrics.RecordAsync("v1", SampleBatch.From([new Sample(true, 5)]));
        await metrics.RecordAsync("v2", SampleBatch.From([new Sample(true, 5)]));

        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await metrics.RecordAsync("v3", SampleBatch.From([new Sample(false, 7)]));
        var after = await metrics.CompareAsync("v3", "v1", TimeSpan.FromSeconds(2));

        Assert.Equal(0, after.Stable.Count);
        Assert.Equal(1, after.Canary.Count);
        Assert.Equal(1, after.Canary.Errors);
    }
}

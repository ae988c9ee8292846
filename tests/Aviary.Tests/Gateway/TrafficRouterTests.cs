using Aviary.Gateway.Routing;
using Aviary.Routes;

namespace Aviary.Tests.Gateway;

public sealed class TrafficRouterTests
{
    private const int Keys = 100_000;

    private static readonly VersionTarget Stable = new() { Version = "v1", Destinations = ["http://127.0.0.1:9001"] };
    private static readonly VersionTarget Canary = new() { Version = "v2", Destinations = ["http://127.0.0.1:9002"] };

    private static RouteSnapshot Route(int weight, VersionTarget? canary = null, VersionTarget? stable = null) => new()
    {
        Service = "shop",
        Revision = 1,
        Routing = ServiceRouting.ByName("shop"),
        Stable = stable ?? Stable,
        Canary = canary ?? Canary,
        CanaryWeight = weight,
    };

    private static int[] Buckets { get; } = Enumerable.Range(0, Keys).Select(i => StickyBucket.Of("shop", $"user-{i}")).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(33)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(90)]
    [InlineData(99)]
    public void Choose_ManyKeys_CanaryShareWithinOnePercentOfWeight(int weight)
    {
        var route = Route(weight);

        var canary = Buckets.Count(b => TrafficRouter.Choose(route, b).IsCanary);

        var share = 100.0 * canary / Keys;
        Assert.InRange(share, weight - 1, weight + 1);
    }

    [Fact]
    public void Choose_WeightZeroAndHundred_AllStableThenAllCanary()
    {
        Assert.All(Buckets, b => Assert.Equal("v1", TrafficRouter.Choose(Route(0), b).Target!.Version));
        Assert.All(Buckets, b => Assert.Equal("v2", TrafficRouter.Choose(Route(100), b).Target!.Version));
    }

    [Fact]
    public void Choose_RisingWeights_AKeyOnTheCanaryStaysOnIt()
    {
        int[] stages = [10, 25, 50, 75, 100];
        for (var s = 1; s < stages.Length; s++)
        {
            var before = Route(stages[s - 1]);
            var after = Route(stages[s]);
            var moved = Buckets.Count(b => TrafficRouter.Choose(before, b).IsCanary && !TrafficRouter.Choose(after, b).IsCanary);
            Assert.Equal(0, moved);
        }
    }

    [Fact]
    public void Choose_AfterRollback_EveryoneOnStable()
    {
        var rolledBack = Route(0) with { Canary = null };

        Assert.All(Buckets.Take(10_000), b =>
        {
            var choice = TrafficRouter.Choose(rolledBack, b);
            Assert.False(choice.IsCanary);
            Assert.Equal("v1", choice.Target!.Version);
        });
    }

    [Fact]
    public void Choose_CanaryWithoutDestinations_TakesNoTraffic()
    {
        var route = Route(50, canary: new VersionTarget { Version = "v2" });

        Assert.All(Buckets.Take(10_000), b => Assert.Equal("v1", TrafficRouter.Choose(route, b).Target!.Version));
    }

    [Fact]
    public void Choose_StableWithoutDestinations_RoutesOnlyTheCanaryShare()
    {
        var route = Route(10, stable: new VersionTarget { Version = "v1" });

        Assert.Equal("v2", TrafficRouter.Choose(route, 999).Target!.Version);
        Assert.Null(TrafficRouter.Choose(route, 1000).Target);
        Assert.Null(TrafficRouter.Choose(Route(0, stable: new VersionTarget { Version = "v1" }) with { Canary = null }, 0).Target);
    }

    [Fact]
    public void Choose_BucketBoundary_IsWeightTimesHundred()
    {
        var route = Route(25);

        Assert.True(TrafficRouter.Choose(route, 2499).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 2500).IsCanary);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(StickyBucket.Count)]
    public void Choose_BucketOutOfRange_Throws(int bucket)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrafficRouter.Choose(Route(10), bucket));
    }

    [Fact]
    public void StickyBucket_IsFixedAcrossProcessesAndVersions()
    {
        // Pinned values: a change here moves users between versions mid-rollout on upgrade.
        Assert.Equal(StickyBucket.Of("shop", "user-1"), StickyBucket.Of("shop", "user-1"));
        Assert.Equal(PinnedShopUser1, StickyBucket.Of("shop", "user-1"));
        Assert.NotEqual(StickyBucket.Of("shop", "user-1"), StickyBucket.Of("cart", "user-1"));
    }

    [Fact]
    public void StickyBucket_SequentialKeys_SpreadEvenlyOverTenths()
    {
        var tenths = new int[10];
        foreach (var bucket in Buckets)
            tenths[bucket / 1000]++;

        Assert.All(tenths, count => Assert.InRange(count, Keys / 10 * 0.97, Keys / 10 * 1.03));
    }

    private const int PinnedShopUser1 = 1523; // computed independently: FNV-1a + murmur3 fmix32, mod 10,000
}

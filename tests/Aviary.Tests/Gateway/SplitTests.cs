using Aviary.Errors;
using Aviary.Gateway.Routing;
using Aviary.Grains.Deployments;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Tests.Gateway;

/// <summary>Fixed splits across versions: the router's shares and the deployment's rules for them.</summary>
public sealed class SplitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static VersionTarget Target(string version, int port) => new() { Version = version, Destinations = [$"http://127.0.0.1:{port}"] };

    private static DeploymentState Stable() =>
        DeploymentLedger.Deploy(new DeploymentState(), "shop", "v1", ["http://127.0.0.1:9001"], RolloutPolicy.Default, Now, out _);

    [Fact]
    public void Choose_ThreeWaySplit_EachVersionsShareWithinOnePercent_Sticky()
    {
        var state = FixedSplit.Set(Stable(), "shop",
            [new SplitShare { Version = "v1", Weight = 70 }, new SplitShare { Version = "v2", Weight = 20 }, new SplitShare { Version = "v3", Weight = 10 }],
            [Target("v2", 9002), Target("v3", 9003)]);
        var route = DeploymentRoute.Of("shop", state);

        var counts = Enumerable.Range(0, 100_000)
            .Select(i => StickyBucket.Of("shop", $"user-{i}"))
            .GroupBy(b => TrafficRouter.Choose(route, b).Target!.Version)
            .ToDictionary(g => g.Key, g => 100.0 * g.Count() / 100_000);

        Assert.InRange(counts["v1"], 69, 71);
        Assert.InRange(counts["v2"], 19, 21);
        Assert.InRange(counts["v3"], 9, 11);
        Assert.Equal(["v1", "v2", "v3"], route.Targets().Select(t => t.Version));
    }

    [Fact]
    public void SetSplit_Empty_EndsIt_AndDropsTheOtherVersionsDestinations()
    {
        var split = FixedSplit.Set(Stable(), "shop",
            [new SplitShare { Version = "v1", Weight = 80 }, new SplitShare { Version = "v2", Weight = 20 }], [Target("v2", 9002)]);

        var ended = FixedSplit.Set(split, "shop", [], []);

        Assert.Empty(DeploymentRoute.Of("shop", ended).Split);
        Assert.Equal(["v1"], ended.Targets.Select(t => t.Version));
    }

    [Theory]
    [InlineData("v1=80,v2=30", "add up to 100")]
    [InlineData("v1=100", "2 to 10 versions")]
    [InlineData("v2=50,v3=50", "stable version v1 must be one")]
    [InlineData("v1=50,v1=50", "named twice")]
    [InlineData("v1=0,v2=100", "between 1 and 99")]
    [InlineData("v1=80,v9=20", "no destinations")]
    public void SetSplit_BadWeights_AreRefusedWithTheRule(string weights, string rule)
    {
        var split = Aviary.Client.Commands.SplitCommand.ParseWeights(weights);

        var error = Assert.Throws<AviaryValidationException>(() => FixedSplit.Set(Stable(), "shop", split, [Target("v2", 9002), Target("v3", 9003)]));

        Assert.Contains(rule, error.Rule);
    }

    [Fact]
    public void SetSplit_DuringARollout_AndDeploy_DuringASplit_AreRefused()
    {
        var rolling = DeploymentLedger.Deploy(Stable(), "shop", "v2", ["http://127.0.0.1:9002"], RolloutPolicy.Default, Now, out _);
        Assert.Throws<AviaryConflictException>(() => FixedSplit.Set(rolling, "shop",
            [new SplitShare { Version = "v1", Weight = 50 }, new SplitShare { Version = "v2", Weight = 50 }], []));

        var split = FixedSplit.Set(Stable(), "shop",
            [new SplitShare { Version = "v1", Weight = 50 }, new SplitShare { Version = "v2", Weight = 50 }], [Target("v2", 9002)]);
        var error = Assert.Throws<AviaryConflictException>(() => DeploymentLedger.Deploy(split, "shop", "v3", ["http://127.0.0.1:9003"], RolloutPolicy.Default, Now, out _));
        Assert.Contains("--end", error.Rule);
    }
}

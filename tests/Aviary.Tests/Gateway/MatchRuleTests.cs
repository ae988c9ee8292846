using Aviary.Errors;
using Aviary.Gateway.Routing;
using Aviary.Routes;

namespace Aviary.Tests.Gateway;

public sealed class MatchRuleTests
{
    private readonly struct Facts(Dictionary<string, string>? headers = null, Dictionary<string, string>? cookies = null, string method = "GET") : IRequestFacts
    {
        public string Method => method ?? "GET";

        public string? Header(string name) =>
            headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        public string? Cookie(string name) => cookies?.GetValueOrDefault(name);
    }

    private static readonly VersionTarget Stable = new() { Version = "v1", Destinations = ["http://127.0.0.1:9001"] };
    private static readonly VersionTarget Candidate = new() { Version = "v2", Destinations = ["http://127.0.0.1:9002"] };

    private static RouteSnapshot Route(int weight, params MatchRule[] rules) => new()
    {
        Service = "shop",
        Routing = ServiceRouting.ByName("shop"),
        Stable = Stable,
        Canary = Candidate,
        CanaryWeight = weight,
        CanaryRules = rules,
    };

    private static Facts Headers(params (string Name, string Value)[] headers) => new(headers.ToDictionary(h => h.Name, h => h.Value));

    [Theory]
    [InlineData("header:x-beta=1", "x-beta", "1", true)]
    [InlineData("header:x-beta=1", "x-beta", "10", false)]
    [InlineData("header:x-beta=1", "X-Beta", "1", true)]
    [InlineData("header:user-agent^=Mozilla/5.0 (iPhone", "User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", true)]
    [InlineData("header:user-agent^=Mozilla/5.0 (iPhone", "User-Agent", "Mozilla/5.0 (X11; Linux)", false)]
    [InlineData("header:x-region~=^(eu|uk)-[a-z]+$", "x-region", "eu-west", true)]
    [InlineData("header:x-region~=^(eu|uk)-[a-z]+$", "x-region", "us-east", false)]
    public void Choose_OneConditionRule_SendsMatchingRequestsToTheCandidate(string rule, string header, string value, bool toCandidate)
    {
        var route = Route(0, MatchRules.Parse(rule));

        var choice = TrafficRouter.Choose(route, 9999, Headers((header, value)));

        Assert.Equal(toCandidate, choice.IsCanary);
        Assert.Equal(toCandidate ? "v2" : "v1", choice.Target!.Version);
    }

    [Fact]
    public void Choose_ConditionsInARule_AreAnded()
    {
        var route = Route(0, MatchRules.Parse("header:x-beta=1 & cookie:plan=pro"));

        Assert.True(TrafficRouter.Choose(route, 5000, new Facts(new() { ["x-beta"] = "1" }, new() { ["plan"] = "pro" })).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 5000, new Facts(new() { ["x-beta"] = "1" }, new() { ["plan"] = "free" })).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 5000, new Facts(new() { ["x-beta"] = "1" })).IsCanary);
    }

    [Fact]
    public void Choose_Rules_AreOred()
    {
        var route = Route(0, MatchRules.Parse("header:x-beta=1"), MatchRules.Parse("cookie:canary=always"));

        Assert.True(TrafficRouter.Choose(route, 5000, Headers(("x-beta", "1"))).IsCanary);
        Assert.True(TrafficRouter.Choose(route, 5000, new Facts(cookies: new() { ["canary"] = "always" })).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 5000, new Facts()).IsCanary);
    }

    [Fact]
    public void Choose_BlueGreenPreview_OnlyThePreviewHeaderReachesTheNewVersion()
    {
        var route = Route(0, MatchRules.Preview(MatchRules.DefaultPreviewHeader));

        Assert.True(TrafficRouter.Choose(route, 0, Headers(("X-Aviary-Preview", "1"))).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 0, Headers(("X-Aviary-Preview", "0"))).IsCanary);
        Assert.All(Enumerable.Range(0, StickyBucket.Count), b => Assert.False(TrafficRouter.Choose(route, b).IsCanary));
    }

    [Fact]
    public void Choose_RulesWithAWeight_AddToTheCanaryShare()
    {
        var route = Route(10, MatchRules.Parse("header:x-beta=1"));

        Assert.True(TrafficRouter.Choose(route, 500, new Facts()).IsCanary);
        Assert.True(TrafficRouter.Choose(route, 5000, Headers(("x-beta", "1"))).IsCanary);
        Assert.False(TrafficRouter.Choose(route, 5000, new Facts()).IsCanary);
    }

    [Fact]
    public void Choose_RuleMatchesButCandidateHasNoDestinations_GoesToStable()
    {
        var route = Route(0, MatchRules.Parse("header:x-beta=1")) with { Canary = new VersionTarget { Version = "v2" } };

        Assert.Equal("v1", TrafficRouter.Choose(route, 0, Headers(("x-beta", "1"))).Target!.Version);
    }

    [Fact]
    public void Choose_Shadow_ClientAlwaysOnStable_SafeRequestsInTheMirrorShareCopied()
    {
        var route = Route(0) with { MirrorPercent = 30 };
        var buckets = Enumerable.Range(0, StickyBucket.Count).ToArray();

        var choices = buckets.Select(b => TrafficRouter.Choose(route, b, new Facts())).ToArray();

        Assert.All(choices, c => Assert.Equal("v1", c.Target!.Version));
        Assert.All(choices, c => Assert.False(c.IsCanary));
        Assert.Equal(3000, choices.Count(c => c.Mirror?.Version == "v2"));
        Assert.Null(TrafficRouter.Choose(route, 5, new Facts(method: "POST")).Mirror);
        Assert.Equal("v2", TrafficRouter.Choose(route with { MirrorAllMethods = true }, 5, new Facts(method: "POST")).Mirror!.Version);
        Assert.Equal("v2", TrafficRouter.Choose(route, 5, new Facts(method: "HEAD")).Mirror!.Version);
    }

    [Fact]
    public void Choose_ShadowWithoutDestinations_CopiesNothing()
    {
        var route = Route(0) with { MirrorPercent = 100, Canary = new VersionTarget { Version = "v2" } };

        Assert.Null(TrafficRouter.Choose(route, 5, new Facts()).Mirror);
        Assert.Equal("v1", TrafficRouter.Choose(route, 5, new Facts()).Target!.Version);
    }

    [Theory]
    [InlineData("x-beta=1")]
    [InlineData("query:x=1")]
    [InlineData("header:x-beta")]
    [InlineData("header:=1")]
    [InlineData("header:x~=(a)\\1")]
    [InlineData("header:x~=(?<=a)b")]
    [InlineData("header:x~=[")]
    public void Parse_BadRule_NamesMatch(string text)
    {
        var error = Assert.Throws<AviaryValidationException>(() => MatchRules.Parse(text));

        Assert.Equal("match", error.Field);
    }

    [Fact]
    public void Parse_Operators_AreReadLongestFirst()
    {
        var rule = MatchRules.Parse("header:a=b & header:c^=d & cookie:e~=f+");

        Assert.Equal([MatchOperator.Exact, MatchOperator.Prefix, MatchOperator.Regex], rule.Conditions.Select(c => c.Operator));
        Assert.Equal(["a", "c", "e"], rule.Conditions.Select(c => c.Name));
        Assert.Equal(["b", "d", "f+"], rule.Conditions.Select(c => c.Value));
        Assert.Equal(MatchSource.Cookie, rule.Conditions[2].Source);
    }
}

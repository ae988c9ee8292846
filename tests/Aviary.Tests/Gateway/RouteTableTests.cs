using Aviary.Gateway;
using Aviary.Routes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;

namespace Aviary.Tests.Gateway;

public sealed class RouteTableTests
{
    private readonly InMemoryConfigProvider _proxy = new([], []);
    private readonly FakeTimeProvider _time = new();
    private readonly RouteTable _table;

    public RouteTableTests()
    {
        _table = new RouteTable(new ProxyConfigBuilder(new AviaryGatewayOptions(), NullLogger<ProxyConfigBuilder>.Instance), _proxy, _time);
    }

    private static RouteSnapshot Route(string service, long revision, int weight = 0, string stableUrl = "http://127.0.0.1:9001", string? host = null) => new()
    {
        Service = service,
        Revision = revision,
        Routing = new ServiceRouting { Hosts = [host ?? service] },
        Stable = new VersionTarget { Version = "v1", Destinations = [stableUrl] },
        Canary = weight > 0 ? new VersionTarget { Version = "v2", Destinations = ["http://127.0.0.1:9002"] } : null,
        CanaryWeight = weight,
    };

    [Fact]
    public void Apply_NewerRevision_Wins_OlderIsIgnored()
    {
        Assert.True(_table.Apply(Route("shop", 2, weight: 25)));
        Assert.False(_table.Apply(Route("shop", 1, weight: 10)));
        Assert.False(_table.Apply(Route("shop", 2, weight: 50)));

        Assert.Equal(25, _table.Find("shop")!.CanaryWeight);
    }

    [Fact]
    public void Apply_NewService_GivesYarpARouteAndAClusterPerVersion()
    {
        _table.Apply(Route("shop", 1, weight: 10));

        var config = _proxy.GetConfig();
        var route = Assert.Single(config.Routes);
        Assert.Equal("svc:shop", route.RouteId);
        Assert.Equal(["shop"], route.Match.Hosts!);
        Assert.Equal(["shop@v1", "shop@v2"], config.Clusters.Select(c => c.ClusterId).Order());
        Assert.Equal("http://127.0.0.1:9002", config.Clusters.Single(c => c.ClusterId == "shop@v2").Destinations!.Single().Value.Address);
    }

    [Fact]
    public void Apply_WeightOnlyChange_LeavesYarpConfigurationAlone()
    {
        _table.Apply(Route("shop", 1, weight: 10));
        var before = _proxy.GetConfig();

        _table.Apply(Route("shop", 2, weight: 25));

        Assert.Same(before, _proxy.GetConfig());
        Assert.Equal(25, _table.Find("shop")!.CanaryWeight);
    }

    [Fact]
    public void Apply_DestinationChange_RebuildsYarpConfiguration()
    {
        _table.Apply(Route("shop", 1));
        var before = _proxy.GetConfig();

        _table.Apply(Route("shop", 2, stableUrl: "http://127.0.0.1:9100"));

        Assert.NotSame(before, _proxy.GetConfig());
        Assert.Equal("http://127.0.0.1:9100", _proxy.GetConfig().Clusters.Single().Destinations!.Single().Value.Address);
    }

    [Fact]
    public void Apply_Removed_IsForgotten_AndAnOlderCopyCannotBringItBack()
    {
        _table.Apply(Route("shop", 1));
        _table.Apply(Route("shop", 2) with { Removed = true });
        _table.Apply(Route("shop", 1));

        Assert.Null(_table.Find("shop"));
        Assert.Empty(_proxy.GetConfig().Routes);
    }

    [Fact]
    public void Reconcile_DropsServicesNotListed_ButKeepsOnesHeardOfDuringTheRead()
    {
        _table.Apply(Route("old", 1));
        var mark = _table.Mark();
        _table.Apply(Route("added-meanwhile", 1));

        _table.Reconcile([Route("shop", 3)], mark);

        Assert.Null(_table.Find("old"));
        Assert.NotNull(_table.Find("added-meanwhile"));
        Assert.NotNull(_table.Find("shop"));
    }

    [Fact]
    public void Age_CountsFromTheLastCompleteRead()
    {
        Assert.Null(_table.Age);

        _table.Reconcile([], _table.Mark());
        _time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), _table.Age);
    }

    [Fact]
    public void Build_TwoServicesClaimingOneHost_TheFirstByNameKeepsIt()
    {
        _table.Apply(Route("b-shop", 1, host: "shop"));
        _table.Apply(Route("a-shop", 1, host: "shop"));

        var route = Assert.Single(_proxy.GetConfig().Routes);
        Assert.Equal("svc:a-shop", route.RouteId);
    }

    [Fact]
    public void Apply_AVersionLeavesTheRoute_ItsClusterStaysForOneMoreChange()
    {
        _table.Apply(Route("shop", 1, weight: 10));
        _table.Apply(Route("shop", 2)); // the canary is gone: a request that read revision 1 may still pick it

        Assert.Contains(_proxy.GetConfig().Clusters, c => c.ClusterId == "shop@v2");

        _table.Apply(Route("shop", 3, stableUrl: "http://127.0.0.1:9100"));

        Assert.DoesNotContain(_proxy.GetConfig().Clusters, c => c.ClusterId == "shop@v2");
    }
}

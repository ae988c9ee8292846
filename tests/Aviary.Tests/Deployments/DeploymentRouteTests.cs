using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Deployments;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Tests.Deployments;

/// <summary>What a deployment tells the gateways: destinations, rules, standby versions, the blue-green switch-back window.</summary>
public sealed class DeploymentRouteTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutPolicy BlueGreen = new() { Strategy = Strategy.BlueGreen, Stages = [100], SwitchBackWindow = TimeSpan.FromMinutes(10) };

    private static DeploymentState Deploy(DeploymentState state, string version, string url, RolloutPolicy policy, out string? id) =>
        DeploymentLedger.Deploy(state, "shop", version, [url], policy, Now, out id);

    private static RolloutUpdate Ended(string id, string version, RolloutStatus status) =>
        new() { RolloutId = id, Version = version, Status = status, Weight = status == RolloutStatus.Succeeded ? 100 : 0, At = Now };

    [Fact]
    public void Route_FirstVersion_IsStableWithItsDestinations_RoutedByName()
    {
        var state = Deploy(new DeploymentState(), "v1", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);

        var route = DeploymentRoute.Of("shop", state);

        Assert.Equal(["shop"], route.Routing.Hosts);
        Assert.Equal("v1", route.Stable!.Version);
        Assert.Equal(["http://127.0.0.1:9001"], route.Stable.Destinations);
        Assert.Null(route.Canary);
    }

    [Fact]
    public void Route_BlueGreenRollout_CarriesThePreviewRuleAtWeightZero()
    {
        var state = Deploy(new DeploymentState(), "blue", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "green", "http://127.0.0.1:9002", BlueGreen, out _);

        var route = DeploymentRoute.Of("shop", state);

        Assert.Equal("green", route.Canary!.Version);
        Assert.Equal(0, route.CanaryWeight);
        Assert.Equal("X-Aviary-Preview", Assert.Single(Assert.Single(route.CanaryRules).Conditions).Name);
    }

    [Fact]
    public void BlueGreenSwitch_KeepsTheOldVersionOnStandby_UndoWithinTheWindowSwitchesBack()
    {
        var state = Deploy(new DeploymentState(), "blue", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "green", "http://127.0.0.1:9002", BlueGreen, out var id);
        state = DeploymentLedger.Apply(state, Ended(id!, "green", RolloutStatus.Succeeded));

        var route = DeploymentRoute.Of("shop", state);
        Assert.Equal("green", route.Stable!.Version);
        Assert.Empty(route.CanaryRules);
        Assert.Equal("blue", Assert.Single(route.Standby).Version);
        Assert.Equal(Now + TimeSpan.FromMinutes(10), state.SwitchBackUntil);

        var undone = DeploymentLedger.Undo(state, "shop", Now + TimeSpan.FromMinutes(9));
        Assert.Equal("blue", undone.StableVersion);
        Assert.Null(undone.SwitchBackUntil);
    }

    [Fact]
    public void BlueGreenSwitch_AfterTheWindow_TheOldVersionIsReleased_AndUndoRefused()
    {
        var state = Deploy(new DeploymentState(), "blue", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "green", "http://127.0.0.1:9002", BlueGreen, out var id);
        state = DeploymentLedger.Apply(state, Ended(id!, "green", RolloutStatus.Succeeded));

        Assert.Same(state, DeploymentLedger.ReleaseSwitchedOut(state, Now + TimeSpan.FromMinutes(9)));
        var error = Assert.Throws<AviaryConflictException>(() => DeploymentLedger.Undo(state, "shop", Now + TimeSpan.FromMinutes(10)));
        Assert.Contains("released", error.Rule);

        var released = DeploymentLedger.ReleaseSwitchedOut(state, Now + TimeSpan.FromMinutes(10));
        Assert.Empty(DeploymentRoute.Of("shop", released).Standby);
        Assert.DoesNotContain(released.Targets, t => t.Version == "blue");
        Assert.Null(released.SwitchBackUntil);
    }

    [Fact]
    public void RolledBackCanary_ItsDestinationsAndRulesAreDropped()
    {
        var state = Deploy(new DeploymentState(), "v1", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "v2", "http://127.0.0.1:9002", new RolloutPolicy { Rules = [MatchRules.Parse("header:x-beta=1")] }, out var id);
        state = DeploymentLedger.Apply(state, Ended(id!, "v2", RolloutStatus.RolledBack));

        var route = DeploymentRoute.Of("shop", state);
        Assert.Null(route.Canary);
        Assert.Empty(route.CanaryRules);
        Assert.Equal(["v1"], state.Targets.Select(t => t.Version));
    }

    [Fact]
    public void Remove_KeepsTheCounters_SoANewServiceOfTheSameNameNeverReusesARolloutId()
    {
        var state = Deploy(new DeploymentState(), "v1", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "v2", "http://127.0.0.1:9002", RolloutPolicy.Default, out var id);
        state = DeploymentLedger.Apply(state, Ended(id!, "v2", RolloutStatus.Aborted));

        var removed = ServiceRegistration.Remove(state, "shop");
        var again = Deploy(Deploy(removed, "v1", "http://127.0.0.1:9001", RolloutPolicy.Default, out _), "v2", "http://127.0.0.1:9002", RolloutPolicy.Default, out var next);

        Assert.False(removed.Exists);
        Assert.True(DeploymentRoute.Of("shop", removed).Removed);
        Assert.Equal("shop/2", next);
        Assert.True(again.Exists);
    }

    [Fact]
    public void Remove_DuringARollout_IsRefused()
    {
        var state = Deploy(new DeploymentState(), "v1", "http://127.0.0.1:9001", RolloutPolicy.Default, out _);
        state = Deploy(state, "v2", "http://127.0.0.1:9002", RolloutPolicy.Default, out _);

        Assert.Throws<AviaryConflictException>(() => ServiceRegistration.Remove(state, "shop"));
    }
}

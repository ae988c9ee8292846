using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Deployments;
using Aviary.Rollouts;

namespace Aviary.Tests.Deployments;

public sealed class DeploymentLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Deploy_FirstVersion_BecomesStableWithoutRollout()
    {
        var state = DeploymentLedger.Deploy(new DeploymentState(), "shop", "v1", Now, out var rolloutId);

        Assert.Null(rolloutId);
        Assert.Equal("v1", state.StableVersion);
        Assert.Null(state.ActiveRolloutId);
        Assert.Equal(ReleaseOutcome.Initial, state.Releases.Single().Outcome);
    }

    [Fact]
    public void Deploy_SecondVersion_ReservesNumberedRollout()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out var rolloutId);

        Assert.Equal("shop/1", rolloutId);
        Assert.Equal("shop/1", state.ActiveRolloutId);
        Assert.Equal("v2", state.CanaryVersion);
        Assert.Equal("v1", state.StableVersion);
        Assert.Equal(ReleaseOutcome.InProgress, state.Releases[^1].Outcome);
    }

    [Fact]
    public void Deploy_WhileRolloutActive_IsRefusedNamingTheRollout()
    {
        var active = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out _);

        var error = Assert.Throws<AviaryConflictException>(() => DeploymentLedger.Deploy(active, "shop", "v3", Now, out _));

        Assert.Equal("service", error.Field);
        Assert.Contains("already rolling out v2 (shop/1)", error.Rule);
    }

    [Fact]
    public void Deploy_StableVersionAgain_IsInvalid()
    {
        var error = Assert.Throws<AviaryValidationException>(() => DeploymentLedger.Deploy(Stable("v1"), "shop", "v1", Now, out _));

        Assert.Equal("version", error.Field);
    }

    [Fact]
    public void Apply_ProgressUpdatesWeight_SuccessPromotesCanaryToStable()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out var id);
        state = DeploymentLedger.Apply(state, Update(id!, RolloutStatus.Progressing, 25));
        Assert.Equal(25, state.CanaryWeight);

        state = DeploymentLedger.Apply(state, Update(id!, RolloutStatus.Succeeded, 100));

        Assert.Equal("v2", state.StableVersion);
        Assert.Equal(["v1"], state.PreviousStables);
        Assert.Null(state.ActiveRolloutId);
        Assert.Equal(0, state.CanaryWeight);
        Assert.Equal(ReleaseOutcome.Succeeded, state.Releases[^1].Outcome);
        Assert.Equal(Now, state.Releases[^1].EndedAt);
    }

    [Fact]
    public void Apply_RollbackKeepsStable()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out var id);

        state = DeploymentLedger.Apply(state, Update(id!, RolloutStatus.RolledBack, 0));

        Assert.Equal("v1", state.StableVersion);
        Assert.Empty(state.PreviousStables);
        Assert.Null(state.ActiveRolloutId);
        Assert.Equal(ReleaseOutcome.RolledBack, state.Releases[^1].Outcome);
    }

    [Fact]
    public void Apply_StaleRollout_ChangesNothing()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out _);

        Assert.Same(state, DeploymentLedger.Apply(state, Update("shop/99", RolloutStatus.Succeeded, 100)));
    }

    [Fact]
    public void Undo_AfterSuccess_RestoresPreviousStable()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out var id);
        state = DeploymentLedger.Apply(state, Update(id!, RolloutStatus.Succeeded, 100));

        state = DeploymentLedger.Undo(state, "shop", Now);

        Assert.Equal("v1", state.StableVersion);
        Assert.Empty(state.PreviousStables);
        Assert.Equal(ReleaseOutcome.Undone, state.Releases[^1].Outcome);
        var again = Assert.Throws<AviaryConflictException>(() => DeploymentLedger.Undo(state, "shop", Now));
        Assert.Equal("'shop' has no previous stable version to restore", again.Rule);
    }

    [Fact]
    public void Undo_DuringRollout_IsRefused()
    {
        var state = DeploymentLedger.Deploy(Stable("v1"), "shop", "v2", Now, out _);

        Assert.Throws<AviaryConflictException>(() => DeploymentLedger.Undo(state, "shop", Now));
    }

    [Fact]
    public void Releases_AreBounded()
    {
        var state = Stable("v0");
        for (var i = 1; i <= DeploymentState.MaxReleases + 10; i++)
        {
            state = DeploymentLedger.Deploy(state, "shop", $"v{i}", Now, out var id);
            state = DeploymentLedger.Apply(state, Update(id!, RolloutStatus.Succeeded, 100) with { Version = $"v{i}" });
        }

        Assert.Equal(DeploymentState.MaxReleases, state.Releases.Length);
        Assert.Equal(DeploymentState.MaxPreviousStables, state.PreviousStables.Length);
        Assert.Equal($"v{DeploymentState.MaxReleases + 10}", state.StableVersion);
    }

    private static DeploymentState Stable(string version) =>
        DeploymentLedger.Deploy(new DeploymentState(), "shop", version, Now, out _);

    private static RolloutUpdate Update(string id, RolloutStatus status, int weight) =>
        new() { RolloutId = id, Version = "v2", Status = status, Weight = weight, At = Now };
}

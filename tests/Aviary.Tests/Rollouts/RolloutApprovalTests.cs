using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Tests.Rollouts;

/// <summary>The two-person rule in the decider: a rollout leaves its first stage only once enough people other than its deployer approved.</summary>
public sealed class RolloutApprovalTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPolicy Policy = new()
    {
        BakeTime = TimeSpan.FromSeconds(30),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
        RequiredApprovals = 2,
    };

    private static readonly HealthObservation Healthy = new(new MetricsComparison(
        new MetricsSnapshot { Count = 100, Errors = 0, P95Ms = 20 },
        new MetricsSnapshot { Count = 100, Errors = 0, P95Ms = 20 }));

    private static RolloutState BakedAndWaiting()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, Start).State;
        for (var t = 10; t <= 30; t += 10)
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, Start.AddSeconds(t)).State;
        return state;
    }

    [Fact]
    public void Check_BakedWithoutApprovals_PausesForThemInsteadOfAdvancing()
    {
        var state = BakedAndWaiting();

        Assert.Equal((RolloutStatus.Paused, PauseKind.Approval, 0), (state.Status, state.PauseKind, state.StageIndex));
        Assert.Equal("waiting for approvals to leave the first stage: 0 of 2 (two-person rule)", state.PauseReason);
    }

    [Fact]
    public void Approve_ByTwoOthers_TheSecondLetsTheRolloutGoOnAtOnce()
    {
        var state = BakedAndWaiting();

        var first = RolloutDecider.Decide(state, new RolloutCommand.Approve("key:alice", "key:dev"), Policy, Start.AddSeconds(31));
        var second = RolloutDecider.Decide(first.State, new RolloutCommand.Approve("key:bob", "key:dev"), Policy, Start.AddSeconds(32));

        Assert.Equal((RolloutStatus.Paused, 0), (first.State.Status, first.State.StageIndex));
        Assert.Equal([RolloutEventKind.Approved], first.Events.Select(e => e.Kind));
        Assert.Equal("approved by key:alice (1 of 2)", first.Events[0].Message);
        Assert.Equal((RolloutStatus.Progressing, 1), (second.State.Status, second.State.StageIndex));
        Assert.Equal([RolloutEventKind.Approved, RolloutEventKind.StageAdvanced], second.Events.Select(e => e.Kind));
        Assert.Equal(["key:alice", "key:bob"], second.State.Approvals);
        Assert.True(second.Persist);
    }

    [Fact]
    public void Approve_LastOneWithoutLeaveToProceed_KeepsTheApprovals_AndResumesTheChecks()
    {
        var state = RolloutDecider.Decide(BakedAndWaiting(), new RolloutCommand.Approve("key:alice", "key:dev"), Policy, Start.AddSeconds(31)).State;

        var held = RolloutDecider.Decide(state, new RolloutCommand.Approve("key:bob", "key:dev", Proceed: false), Policy, Start.AddSeconds(32));
        var next = RolloutDecider.Decide(held.State, new RolloutCommand.Check(Healthy), Policy, Start.AddSeconds(40));

        Assert.Equal((RolloutStatus.Progressing, 0, 2), (held.State.Status, held.State.StageIndex, held.State.Approvals.Length));
        Assert.Equal([RolloutEventKind.Approved], held.Events.Select(e => e.Kind));
        Assert.Equal((RolloutStatus.Progressing, 1), (next.State.Status, next.State.StageIndex));
    }

    [Fact]
    public void Approve_BeforeTheBakeEnds_IsCounted_AndTheCheckThenAdvances()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, Start).State;
        state = RolloutDecider.Decide(state, new RolloutCommand.Approve("key:alice", "key:dev"), Policy, Start.AddSeconds(1)).State;
        state = RolloutDecider.Decide(state, new RolloutCommand.Approve("key:bob", "key:dev"), Policy, Start.AddSeconds(2)).State;
        Assert.Equal((RolloutStatus.Progressing, 0), (state.Status, state.StageIndex));

        for (var t = 10; t <= 30; t += 10)
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, Start.AddSeconds(t)).State;

        Assert.Equal((RolloutStatus.Progressing, 1), (state.Status, state.StageIndex));
    }

    [Theory]
    [InlineData("key:dev", "approver", "'key:dev' deployed this rollout; the two-person rule needs someone else to approve it")]
    [InlineData("key:alice", "approver", "'key:alice' has already approved (1 of 2); another person must")]
    public void Approve_ByTheDeployerOrTwiceByOnePerson_IsRefused(string approver, string field, string rule)
    {
        var state = RolloutDecider.Decide(BakedAndWaiting(), new RolloutCommand.Approve("key:alice", "key:dev"), Policy, Start.AddSeconds(31)).State;

        var error = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Approve(approver, "key:dev"), Policy, Start.AddSeconds(32)));

        Assert.Equal((field, rule), (error.Field, error.Rule));
    }

    [Fact]
    public void PromoteAndResume_WithoutTheApprovals_AreRefused()
    {
        var state = BakedAndWaiting();

        var promote = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Promote(true), Policy, Start.AddSeconds(31)));
        var resume = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Resume(), Policy, Start.AddSeconds(31)));

        Assert.Equal("approvals", promote.Field);
        Assert.Equal("two-person rule: 2 approval(s) needed to leave the first stage, 0 given; approve it first (aviary approve)", promote.Rule);
        Assert.Equal("rollout waits for approvals (0 of 2); approve it to go on", resume.Rule);
    }

    [Fact]
    public void Approve_ARolloutWithoutARule_IsRefused()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy with { RequiredApprovals = 0 }, Start).State;

        var error = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Approve("key:alice", "key:dev"), Policy with { RequiredApprovals = 0 }, Start));

        Assert.Equal("approvals", error.Field);
    }
}

using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Routes;
using Aviary.Webhooks;

namespace Aviary.Tests.Rollouts;

/// <summary>
/// What every decision keeps, whatever the command: a transition is recorded with its event and an
/// event only with what it reports; the state changes outside a transition only in a check's
/// bookkeeping and the failure count; and it is stored exactly when a transition or that count changed.
/// </summary>
public sealed class RolloutDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly RolloutPolicy Canary = new()
    {
        Stages = [10, 50, 100],
        Gates = [50],
        BakeTime = Interval,
        CheckInterval = Interval,
        MinSamples = 20,
        FailureLimit = 2,
        InconclusiveLimit = 2,
    };

    private static readonly Dictionary<string, RolloutPolicy> Policies = new()
    {
        ["canary with a gate"] = Canary,
        ["two-person rule"] = Canary with { Gates = [], RequiredApprovals = 2 },
        ["shadow stage"] = Canary with { Stages = [0, 50, 100], Gates = [] },
        ["dry run"] = Canary with { DryRun = true },
        ["compared with stable"] = Canary with { Analysis = Analysis.Both },
        ["blue-green"] = Canary with { Strategy = Strategy.BlueGreen, Stages = [100], Gates = [] },
        ["A/B"] = Canary with { Strategy = Strategy.AB, Stages = [100], Gates = [], Rules = [MatchRules.Parse("header:x-beta=1")], Iterations = 1 },
        ["shadow"] = Canary with { Strategy = Strategy.Shadow, Stages = [100], Gates = [], Iterations = 1 },
    };

    private static readonly HealthObservation Healthy = Observe(100, 0);

    private static readonly RolloutCommand[] Commands =
    [
        new RolloutCommand.Check(Healthy),
        new RolloutCommand.Check(Observe(100, 50)),
        new RolloutCommand.Check(Observe(5, 0)),
        new RolloutCommand.Check(Healthy with { Confirmation = new GateAnswer { Hook = "cab", StatusCode = 409, Reason = "webhook 'cab' answered 409: freeze" } }),
        new RolloutCommand.Check(Healthy with { Confirmation = new GateAnswer { Hook = "cab", Failed = true, Reason = "webhook 'cab' did not answer in 5 s" } }),
        new RolloutCommand.Promote(false),
        new RolloutCommand.Promote(true),
        new RolloutCommand.Pause(""),
        new RolloutCommand.Resume(),
        new RolloutCommand.Abort(""),
        new RolloutCommand.Approve("key:alice", "key:dev"),
        new RolloutCommand.Approve("key:bob", "key:dev"),
    ];

    [Fact]
    public void Decide_EverySequenceOfFourCommandsUnderEveryStrategy_KeepsTransitionsAndEventsTogether()
    {
        var kinds = new HashSet<RolloutEventKind>();
        var decided = 0;
        foreach (var policy in Policies.Values)
        {
            var start = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, T0);
            AssertKept(RolloutState.NotStarted, start);
            kinds.UnionWith(start.Events.Select(e => e.Kind));
            Explore(start.State, policy, T0 + Interval, depth: 4, decision =>
            {
                decided++;
                kinds.UnionWith(decision.Events.Select(e => e.Kind));
            });
        }

        // The walk reaches every kind of transition, so the rule above was checked on each.
        Assert.Equal(Enum.GetValues<RolloutEventKind>().Order(), kinds.Order());
        Assert.True(decided > 10_000, $"only {decided} decisions explored");
    }

    [Fact]
    public void Check_InconclusiveBelowTheLimit_IsKeptInMemoryOnly()
    {
        var state = Started(Canary);

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Observe(5, 0)), Canary, T0 + Interval);

        Assert.Equal(RolloutChange.Checked, decision.Change);
        Assert.False(decision.Persist);
        Assert.Equal(1, decision.State.ConsecutiveInconclusive);
        Assert.Equal([RolloutEventKind.CheckCompleted], decision.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Check_UnhealthyBelowTheFailureLimit_IsStoredWithoutATransition()
    {
        var state = Started(Canary);

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Observe(100, 50)), Canary, T0 + Interval);

        Assert.Equal(RolloutChange.Checked | RolloutChange.Counted, decision.Change);
        Assert.True(decision.Persist);
        Assert.Same(state.Transitions, decision.State.Transitions);
        Assert.Equal(1, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void Check_HealthyAfterAFailure_StoresTheClearedCount()
    {
        var policy = Canary with { BakeTime = TimeSpan.FromMinutes(5) };
        var failed = RolloutDecider.Decide(Started(policy), new RolloutCommand.Check(Observe(100, 50)), policy, T0 + Interval).State;

        var decision = RolloutDecider.Decide(failed, new RolloutCommand.Check(Healthy), policy, T0 + 2 * Interval);

        Assert.Equal(RolloutChange.Checked | RolloutChange.Counted, decision.Change);
        Assert.Equal(0, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void Check_HealthyAndBaked_RecordsTheGateItStopsAtWithItsEvent()
    {
        var decision = RolloutDecider.Decide(Started(Canary), new RolloutCommand.Check(Healthy), Canary, T0 + Interval);

        Assert.Equal(RolloutChange.Checked | RolloutChange.Transitioned, decision.Change);
        var paused = decision.State.Transitions[^1];
        Assert.Equal((RolloutEventKind.Paused, "manual gate before 50 %: promote to continue", RolloutStatus.Paused, decision.At),
            (paused.Kind, paused.Message, paused.Status, paused.At));
        Assert.Equal((paused.Kind, paused.Message), (decision.Events[^1].Kind, decision.Events[^1].Message));
    }

    [Fact]
    public void Approve_LastApprovalWhileWaiting_RecordsTheEndOfTheWaitInItsOwnTransition()
    {
        var policy = Policies["two-person rule"];
        var waiting = RolloutDecider.Decide(Started(policy), new RolloutCommand.Check(Healthy), policy, T0 + Interval).State;
        var once = RolloutDecider.Decide(waiting, new RolloutCommand.Approve("key:alice", "key:dev"), policy, T0 + 2 * Interval).State;

        var held = RolloutDecider.Decide(once, new RolloutCommand.Approve("key:bob", "key:dev", Proceed: false), policy, T0 + 3 * Interval);

        Assert.Equal(RolloutStatus.Progressing, held.State.Status);
        Assert.Equal((RolloutEventKind.Approved, RolloutStatus.Progressing), (held.State.Transitions[^1].Kind, held.State.Transitions[^1].Status));
        Assert.Equal([RolloutEventKind.Approved], held.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Check_RepeatedHold_AnnouncesTheStoredHoldAgainWithoutRecordingIt()
    {
        var refused = new RolloutCommand.Check(Healthy with { Confirmation = new GateAnswer { Hook = "cab", StatusCode = 409, Reason = "webhook 'cab' answered 409: freeze" } });
        var policy = Canary with { Gates = [] };
        var first = RolloutDecider.Decide(Started(policy), refused, policy, T0 + Interval);

        var second = RolloutDecider.Decide(first.State, refused, policy, T0 + 2 * Interval);

        Assert.Equal(RolloutChange.Checked, second.Change);
        Assert.Same(first.State.Transitions, second.State.Transitions);
        Assert.Equal((RolloutEventKind.CheckCompleted, "held at 10 %: webhook 'cab' answered 409: freeze"), (second.Events[^1].Kind, second.Events[^1].Message));
        Assert.Equal(first.State.Transitions[^1].Message, second.Events[^1].Message);
    }

    private static void Explore(RolloutState state, RolloutPolicy policy, DateTimeOffset now, int depth, Action<RolloutDecision> seen)
    {
        if (depth == 0)
            return;
        foreach (var command in Commands)
        {
            RolloutDecision decision;
            try
            {
                decision = RolloutDecider.Decide(state, command, policy, now);
            }
            catch (AviaryConflictException)
            {
                continue; // refused: RolloutCommandRefusalTests
            }
            AssertKept(state, decision);
            seen(decision);
            Explore(decision.State, policy, now + Interval, depth - 1, seen);
        }
    }

    private static void AssertKept(RolloutState before, RolloutDecision decision)
    {
        var after = decision.State;
        var added = after.Transitions[before.Transitions.Length..];
        var announced = decision.Events.Where(e => e.Verdict is null).Select(e => (e.Kind, e.Message)).ToArray();
        var reannounced = added.Length == 0 && announced.Length == 1 && after.Transitions is [.., var last] && (last.Kind, last.Message) == announced[0];
        if (!reannounced)
            Assert.Equal(added.Select(t => (t.Kind, t.Message)), announced);
        Assert.All(added, t => Assert.Equal(decision.At, t.At));
        Assert.Equal(added.Length > 0, decision.Change.HasFlag(RolloutChange.Transitioned));

        var verdicts = decision.Events.Where(e => e.Verdict is not null).ToArray();
        Assert.Equal(decision.Change.HasFlag(RolloutChange.Checked) ? 1 : 0, verdicts.Length);
        if (verdicts is [var check])
            Assert.Equal(check.Verdict! with { Reason = "" }, after.Verdicts[^1]);

        Assert.Equal(added.Length > 0 || after.ConsecutiveFailures != before.ConsecutiveFailures, decision.Persist);
        if (added.Length == 0)
        {
            var bookkeepingAside = after with
            {
                LastCheckAt = before.LastCheckAt,
                Verdicts = before.Verdicts,
                ConsecutiveInconclusive = before.ConsecutiveInconclusive,
                ConsecutiveFailures = before.ConsecutiveFailures,
            };
            Assert.Equal(before, bookkeepingAside);
        }
    }

    private static RolloutState Started(RolloutPolicy policy) =>
        RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, T0).State;

    private static HealthObservation Observe(long count, long errors) =>
        new(new MetricsComparison(
            new MetricsSnapshot { Count = count, Errors = errors, P50Ms = 10, P95Ms = 20 },
            new MetricsSnapshot { Count = 1000, Errors = 0, P50Ms = 10, P95Ms = 20 }));
}

using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Tests.Rollouts;

/// <summary>
/// Every command in every status that refuses it, through <see cref="RolloutDecider.Decide"/>:
/// the conflict names the field and says what to do instead.
/// </summary>
public sealed class RolloutCommandRefusalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPolicy Gated = new()
    {
        Stages = [10, 50, 100],
        Gates = [50],
        BakeTime = TimeSpan.FromSeconds(20),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
        InconclusiveLimit = 1,
    };

    private static readonly RolloutPolicy TwoPerson = Gated with { Gates = [], RequiredApprovals = 2 };

    private static readonly RolloutPolicy BlueGreen = new()
    {
        Strategy = Strategy.BlueGreen,
        Stages = [100],
        BakeTime = TimeSpan.FromSeconds(10),
        CheckInterval = TimeSpan.FromSeconds(10),
    };

    private static readonly HealthObservation Healthy = Observe(100, 0);
    private static readonly HealthObservation Failing = Observe(100, 50);
    private static readonly HealthObservation Sparse = Observe(5, 0);

    public static TheoryData<string, string, string, string> Refusals()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var command in new[] { "promote", "promote fully", "pause", "resume", "abort", "approve as alice" })
            data.Add("pending", command, "status", "rollout has not started");
        foreach (var (state, status) in new[] { ("succeeded", "Succeeded"), ("rolled back", "RolledBack"), ("aborted", "Aborted") })
        {
            data.Add(state, "start", "status", $"rollout has already started ({status})");
            foreach (var command in new[] { "promote", "promote fully", "pause", "resume", "abort", "approve as alice" })
                data.Add(state, command, "status", $"rollout has already ended ({status})");
        }
        data.Add("progressing", "start", "status", "rollout has already started (Progressing)");
        data.Add("progressing", "resume", "status", "rollout is not paused");
        data.Add("progressing", "approve as alice", "approvals", "this rollout needs no approvals (no approval rule for its service when it started)");
        data.Add("paused by operator", "pause", "status", "rollout is already paused");
        data.Add("paused inconclusive", "pause", "status", "rollout is already paused");
        data.Add("at a gate", "pause", "status", "rollout is already paused");
        data.Add("at a gate", "resume", "status", "rollout waits at a manual gate before 50 %; promote to pass it");
        data.Add("at the blue-green switch", "resume", "status", "rollout waits for promote to switch all traffic");
        data.Add("waiting for approvals", "pause", "status", "rollout is already paused");
        data.Add("waiting for approvals", "resume", "status", "rollout waits for approvals (0 of 2); approve it to go on");
        data.Add("waiting for approvals", "promote", "approvals", "two-person rule: 2 approval(s) needed to leave the first stage, 0 given; approve it first (aviary approve)");
        data.Add("waiting for approvals", "approve as the deployer", "approver", "'key:dev' deployed this rollout; the two-person rule needs someone else to approve it");
        data.Add("approved once", "promote fully", "approvals", "two-person rule: 2 approval(s) needed to leave the first stage, 1 given (key:alice); approve it first (aviary approve)");
        data.Add("approved once", "approve as alice", "approver", "'key:alice' has already approved (1 of 2); another person must");
        data.Add("past the first stage", "approve as carol", "approvals", "already approved (key:alice, key:bob) or past its first stage");
        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Decide_CommandTheStatusRefuses_IsAConflictNamingFieldAndRule(string state, string command, string field, string rule)
    {
        var (at, policy) = Arrange(state);

        var error = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(at, Command(command), policy, T0.AddMinutes(5)));

        Assert.Equal((field, rule), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("paused by operator")]
    [InlineData("at a gate")]
    [InlineData("waiting for approvals")]
    [InlineData("succeeded")]
    [InlineData("rolled back")]
    [InlineData("aborted")]
    public void Decide_CheckOfARolloutNotProgressing_ChangesNothing(string state)
    {
        var (at, policy) = Arrange(state);

        var decision = RolloutDecider.Decide(at, new RolloutCommand.Check(Failing), policy, T0.AddMinutes(5));

        Assert.Same(at, decision.State);
        Assert.Equal(RolloutChange.None, decision.Change);
        Assert.False(decision.Persist);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Arrange_EveryNamedState_IsTheStatusItsNameSays()
    {
        Assert.Equal(
            [
                RolloutStatus.Pending, RolloutStatus.Progressing, RolloutStatus.Paused, RolloutStatus.Paused, RolloutStatus.Paused,
                RolloutStatus.Paused, RolloutStatus.Paused, RolloutStatus.Progressing, RolloutStatus.Progressing,
                RolloutStatus.Succeeded, RolloutStatus.RolledBack, RolloutStatus.Aborted,
            ],
            new[]
            {
                "pending", "progressing", "paused by operator", "paused inconclusive", "at a gate", "at the blue-green switch",
                "waiting for approvals", "approved once", "past the first stage", "succeeded", "rolled back", "aborted",
            }.Select(name => Arrange(name).State.Status));
        Assert.Equal(PauseKind.Gate, Arrange("at a gate").State.PauseKind);
        Assert.Equal(PauseKind.Inconclusive, Arrange("paused inconclusive").State.PauseKind);
        Assert.Equal(PauseKind.Approval, Arrange("waiting for approvals").State.PauseKind);
        Assert.Equal(1, Arrange("past the first stage").State.StageIndex);
    }

    private static RolloutCommand Command(string name) => name switch
    {
        "start" => new RolloutCommand.Start(),
        "promote" => new RolloutCommand.Promote(false),
        "promote fully" => new RolloutCommand.Promote(true),
        "pause" => new RolloutCommand.Pause("a look"),
        "resume" => new RolloutCommand.Resume(),
        "abort" => new RolloutCommand.Abort("wrong build"),
        "approve as alice" => new RolloutCommand.Approve("key:alice", "key:dev"),
        "approve as carol" => new RolloutCommand.Approve("key:carol", "key:dev"),
        "approve as the deployer" => new RolloutCommand.Approve("key:dev", "key:dev"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A rollout brought to the named state by the decider itself, and the policy it runs.</summary>
    private static (RolloutState State, RolloutPolicy Policy) Arrange(string name) => name switch
    {
        "pending" => (RolloutState.NotStarted, Gated),
        "progressing" => (Started(Gated), Gated),
        "paused by operator" => (Apply(Started(Gated), Gated, (new RolloutCommand.Pause("a look"), 1)), Gated),
        "paused inconclusive" => (Apply(Started(Gated), Gated, (new RolloutCommand.Check(Sparse), 10)), Gated),
        "at a gate" => (Apply(Started(Gated), Gated, (new RolloutCommand.Check(Healthy), 10), (new RolloutCommand.Check(Healthy), 20)), Gated),
        "at the blue-green switch" => (Apply(Started(BlueGreen), BlueGreen, (new RolloutCommand.Check(Healthy), 10)), BlueGreen),
        "waiting for approvals" => (Apply(Started(TwoPerson), TwoPerson, (new RolloutCommand.Check(Healthy), 10), (new RolloutCommand.Check(Healthy), 20)), TwoPerson),
        "approved once" => (Apply(Started(TwoPerson), TwoPerson, (new RolloutCommand.Approve("key:alice", "key:dev"), 1)), TwoPerson),
        "past the first stage" => (Apply(Started(TwoPerson), TwoPerson,
            (new RolloutCommand.Approve("key:alice", "key:dev"), 1), (new RolloutCommand.Approve("key:bob", "key:dev"), 2),
            (new RolloutCommand.Check(Healthy), 10), (new RolloutCommand.Check(Healthy), 20)), TwoPerson),
        "succeeded" => (Apply(Started(Gated), Gated, (new RolloutCommand.Promote(true), 1)), Gated),
        "rolled back" => (Apply(Started(Gated), Gated, (new RolloutCommand.Check(Failing), 10)), Gated),
        "aborted" => (Apply(Started(Gated), Gated, (new RolloutCommand.Abort("wrong build"), 1)), Gated),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static RolloutState Started(RolloutPolicy policy) =>
        RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, T0).State;

    private static RolloutState Apply(RolloutState state, RolloutPolicy policy, params (RolloutCommand Command, int AtSecond)[] steps)
    {
        foreach (var (command, second) in steps)
            state = RolloutDecider.Decide(state, command, policy, T0.AddSeconds(second)).State;
        return state;
    }

    private static HealthObservation Observe(long count, long errors) =>
        new(new MetricsComparison(new MetricsSnapshot { Count = count, Errors = errors, P95Ms = 20 }, new MetricsSnapshot { Count = 1000, Errors = 0, P95Ms = 20 }));
}

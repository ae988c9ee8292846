using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Guardrails;
using Aviary.Guardrails;

namespace Aviary.Tests.Guardrails;

public sealed class ReleaseQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static ReleaseRequest Request(string service, string version, int number = 1, params ReleaseRef[] after) =>
        new() { RolloutId = $"{service}/{number}", Service = service, Version = version, After = after, RequestedBy = "key:a" };

    private static ReleaseRef Ref(string service, string version) => new() { Service = service, Version = version };

    private static ReleaseGuardState With(GuardrailPolicy policy) => new() { Policy = policy };

    [Fact]
    public void Admit_NoLimits_StartsAtOnceAndHoldsASlot()
    {
        var (state, admission, started) = ReleaseQueue.Admit(new ReleaseGuardState(), Request("shop", "v2"), Now);

        Assert.True(admission.Start);
        Assert.Empty(started);
        Assert.Equal(["shop/1"], state.Active.Select(a => a.RolloutId));
        Assert.Empty(state.Queued);
    }

    [Fact]
    public void Admit_ClusterLimitReached_QueuesInOrder_AndTheFirstTakesTheFreedSlot()
    {
        var state = With(new GuardrailPolicy { MaxActiveRollouts = 1 });
        (state, var first, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);
        (state, var second, _) = ReleaseQueue.Admit(state, Request("b", "v2"), Now);
        (state, var third, _) = ReleaseQueue.Admit(state, Request("c", "v2"), Now);

        Assert.True(first.Start);
        Assert.Equal((false, 1, "waiting for a slot: 1 of 1 rollouts active in the cluster"), (second.Start, second.Position, second.Waiting));
        Assert.Equal((false, 2), (third.Start, third.Position));

        var (next, started, cancelled) = ReleaseQueue.Finish(state, new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v2", Outcome = ReleaseOutcome.Succeeded }, Now);

        Assert.Equal(["b/1"], started.Select(s => s.RolloutId));
        Assert.Empty(cancelled);
        Assert.Equal(["b/1"], next.Active.Select(a => a.RolloutId));
        Assert.Equal(["c/1"], next.Queued.Select(q => q.RolloutId));
    }

    [Fact]
    public void Admit_GroupLimit_HoldsOnlyTheGroupsServices()
    {
        var state = With(new GuardrailPolicy { Groups = [new ServiceGroup { Name = "payments", Services = ["pay", "ledger"], MaxActive = 1 }] });
        (state, _, _) = ReleaseQueue.Admit(state, Request("pay", "v2"), Now);

        (state, var ledger, _) = ReleaseQueue.Admit(state, Request("ledger", "v2"), Now);
        (state, var shop, _) = ReleaseQueue.Admit(state, Request("shop", "v2"), Now);

        Assert.False(ledger.Start);
        Assert.Equal("waiting for a slot in group 'payments': 1 of 1 active (pay/1)", ledger.Waiting);
        Assert.True(shop.Start);
        Assert.Equal(["pay/1", "shop/1"], state.Active.Select(a => a.RolloutId));
    }

    [Fact]
    public void Admit_SameRolloutTwice_AnswersTheSame()
    {
        var state = With(new GuardrailPolicy { MaxActiveRollouts = 1 });
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);
        (state, var queued, _) = ReleaseQueue.Admit(state, Request("b", "v2"), Now);

        var (again, repeated, _) = ReleaseQueue.Admit(state, Request("b", "v2"), Now);
        var (_, active, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);

        Assert.Same(state, again);
        Assert.Equal(queued, repeated);
        Assert.True(active.Start);
    }

    [Fact]
    public void Admit_InAFreeze_IsRefusedNamingTheWindow_UnlessOverridden()
    {
        var state = With(new GuardrailPolicy
        {
            Freezes = [new FreezeWindow { Name = "launch", Reason = "launch week", From = Now.AddHours(-1), Until = Now.AddHours(2) }],
        });

        var refused = Assert.Throws<AviaryConflictException>(() => ReleaseQueue.Admit(state, Request("shop", "v2"), Now));
        var (_, admitted, _) = ReleaseQueue.Admit(state, Request("shop", "v2") with { FreezeOverride = "hotfix for INC-42" }, Now);

        Assert.Equal("freeze", refused.Field);
        Assert.Equal("freeze 'launch' (launch week) allows no new rollout until 2026-12-02 12:00:00Z; an admin may override it with a reason", refused.Rule);
        Assert.True(admitted.Start);
    }

    [Fact]
    public void Pump_QueuedBeforeAFreeze_WaitsUntilItEnds()
    {
        var freeze = new FreezeWindow { Name = "night", From = Now.AddMinutes(5), Until = Now.AddMinutes(65) };
        var state = With(new GuardrailPolicy { MaxActiveRollouts = 1, Freezes = [freeze] });
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("b", "v2"), Now);

        var (during, startedDuring, _) = ReleaseQueue.Finish(state, new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v2", Outcome = ReleaseOutcome.Succeeded }, Now.AddMinutes(10));
        var (after, startedAfter) = ReleaseQueue.Pump(during, Now.AddMinutes(66));

        Assert.Empty(startedDuring);
        Assert.StartsWith("freeze 'night' until", ReleaseQueue.View(during, Now.AddMinutes(10)).Queued.Single().Waiting);
        Assert.Equal(["b/1"], startedAfter.Select(s => s.RolloutId));
        Assert.Equal(["b/1"], after.Active.Select(a => a.RolloutId));
    }

    [Fact]
    public void Dependent_WaitsForItsRelease_AndStartsWhenItSucceeds()
    {
        var state = new ReleaseGuardState();
        (state, var b, _) = ReleaseQueue.Admit(state, Request("b", "v2", 1, Ref("a", "v5")), Now);
        (state, var a, _) = ReleaseQueue.Admit(state, Request("a", "v5"), Now);

        Assert.Equal((false, "waiting for a@v5"), (b.Start, b.Waiting));
        Assert.True(a.Start);

        var (next, started, cancelled) = ReleaseQueue.Finish(state, new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v5", Outcome = ReleaseOutcome.Succeeded }, Now);

        Assert.Equal(["b/1"], started.Select(s => s.RolloutId));
        Assert.Empty(cancelled);
        Assert.Empty(next.Queued);
    }

    [Fact]
    public void Dependent_WhenItsReleaseRollsBack_IsCancelledWithTheReason_AndSoAreItsOwnDependents()
    {
        var state = new ReleaseGuardState();
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v5"), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("b", "v2", 1, Ref("a", "v5")), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("c", "v9", 1, Ref("b", "v2")), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("d", "v1", 1), Now);

        var (next, started, cancelled) = ReleaseQueue.Finish(state,
            new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v5", Outcome = ReleaseOutcome.RolledBack, Reason = "error rate 30.0 % > 10.0 %" }, Now);

        Assert.Empty(started);
        Assert.Equal(
            [("b/1", "a@v5 rolled back: error rate 30.0 % > 10.0 %"), ("c/1", "b@v2 was cancelled: a@v5 rolled back: error rate 30.0 % > 10.0 %")],
            cancelled.Select(c => (c.Release.RolloutId, c.Reason)));
        Assert.Empty(next.Queued);
        Assert.Equal(["d/1"], next.Active.Select(a => a.RolloutId));
    }

    [Fact]
    public void Dependent_OnAReleaseThatAlreadyFailed_IsRefused()
    {
        var state = new ReleaseGuardState();
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v5"), Now);
        (state, _, _) = ReleaseQueue.Finish(state, new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v5", Outcome = ReleaseOutcome.Aborted, Reason = "wrong build" }, Now);

        var refused = Assert.Throws<AviaryConflictException>(() => ReleaseQueue.Admit(state, Request("b", "v2", 1, Ref("a", "v5")), Now));

        Assert.Equal("after", refused.Field);
        Assert.Equal("a@v5 was aborted: wrong build; nothing waits for it", refused.Rule);
    }

    [Fact]
    public void Dependency_ClosingACycle_IsRefusedNamingIt_AndChangesNothing()
    {
        var state = new ReleaseGuardState();
        (state, _, _) = ReleaseQueue.Admit(state, Request("b", "v2", 1, Ref("a", "v5")), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("c", "v3", 1, Ref("b", "v2")), Now);

        var refused = Assert.Throws<AviaryConflictException>(() => ReleaseQueue.Admit(state, Request("a", "v5", 1, Ref("c", "v3")), Now));

        Assert.Equal("after", refused.Field);
        Assert.Equal("waiting would make a cycle: a@v5 → c@v3 → b@v2 → a@v5", refused.Rule);
        Assert.Equal(["b/1", "c/1"], state.Queued.Select(q => q.RolloutId));
    }

    [Fact]
    public void Withdraw_CancelsDependentsAndFreesNothingElse()
    {
        var state = With(new GuardrailPolicy { MaxActiveRollouts = 1 });
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("b", "v2"), Now);
        (state, _, _) = ReleaseQueue.Admit(state, Request("c", "v2", 1, Ref("b", "v2")), Now);

        var (next, started, cancelled) = ReleaseQueue.Withdraw(state, "b/1", Now);

        Assert.Empty(started);
        Assert.Equal([("c/1", "b@v2 was cancelled: withdrawn by an operator")], cancelled.Select(c => (c.Release.RolloutId, c.Reason)));
        Assert.Empty(next.Queued);
        Assert.Equal(["a/1"], next.Active.Select(a => a.RolloutId));
    }

    [Fact]
    public void Finish_ToldTwice_ChangesNothingTheSecondTime()
    {
        var state = new ReleaseGuardState();
        (state, _, _) = ReleaseQueue.Admit(state, Request("a", "v2"), Now);
        var finished = new ReleaseFinished { RolloutId = "a/1", Service = "a", Version = "v2", Outcome = ReleaseOutcome.Succeeded };
        (state, _, _) = ReleaseQueue.Finish(state, finished, Now);

        var (again, _, _) = ReleaseQueue.Finish(state, finished, Now);

        Assert.Same(state, again);
        Assert.Single(state.Outcomes);
    }
}

using Aviary.Client.Commands;
using Aviary.Rollouts;

namespace Aviary.Tests.Client;

public sealed class TransitionLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static StageTransition Transition(RolloutEventKind kind, int stage, int seconds, RolloutStatus status = RolloutStatus.Progressing) =>
        new() { Kind = kind, StageIndex = stage, At = T0.AddSeconds(seconds), Status = status, Message = $"{kind} {stage}" };

    private static RolloutView View(params StageTransition[] transitions) => new()
    {
        RolloutId = "shop/2", Service = "shop", Version = "v2", StableVersion = "v1",
        Transitions = transitions,
        Now = T0.AddMinutes(1),
    };

    private static RolloutEvent Event(RolloutEventKind kind, int seconds) => new() { Kind = kind, At = T0.AddSeconds(seconds) };

    [Fact]
    public void Missed_GivesTransitionsNoEventShowed_OnceEach_NotThoseBeforeTheWatch()
    {
        var started = Transition(RolloutEventKind.Started, 0, 0);
        var log = new TransitionLog(View(started));
        Assert.True(log.Shows(Event(RolloutEventKind.StageAdvanced, 10)));

        var later = View(
            started,
            Transition(RolloutEventKind.StageAdvanced, 1, 10),
            Transition(RolloutEventKind.StageAdvanced, 2, 20),
            Transition(RolloutEventKind.RolledBack, 2, 30, RolloutStatus.RolledBack));
        var missed = log.Missed(later, DateTimeOffset.MaxValue).ToArray();

        Assert.Equal([(RolloutEventKind.StageAdvanced, 2, 50, T0.AddSeconds(20)), (RolloutEventKind.RolledBack, 2, 0, T0.AddSeconds(30))],
            missed.Select(e => (e.Kind, e.StageIndex, e.Weight, e.At)));
        Assert.All(missed, e => Assert.Equal(("shop/2", "shop", "v2"), (e.RolloutId, e.Service, e.Version)));
        Assert.Equal("RolledBack 2", missed[1].Message);
        Assert.Empty(log.Missed(later, DateTimeOffset.MaxValue));
        // The stream's copy arriving late is not shown a second time.
        Assert.False(log.Shows(Event(RolloutEventKind.StageAdvanced, 20)));
    }

    [Fact]
    public void Missed_LeavesRecentTransitionsToTheirEvents()
    {
        var log = new TransitionLog(View());
        var view = View(Transition(RolloutEventKind.StageAdvanced, 1, 10), Transition(RolloutEventKind.StageAdvanced, 2, 20));

        Assert.Equal([T0.AddSeconds(10)], log.Missed(view, T0.AddSeconds(15)).Select(e => e.At));
        Assert.True(log.Shows(Event(RolloutEventKind.StageAdvanced, 20)));
        Assert.Empty(log.Missed(view, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Shows_ChecksAlways_TransitionsOnce()
    {
        var log = new TransitionLog(View());
        Assert.True(log.Shows(Event(RolloutEventKind.CheckCompleted, 10)));
        Assert.True(log.Shows(Event(RolloutEventKind.CheckCompleted, 10)));
        Assert.True(log.Shows(Event(RolloutEventKind.Paused, 10)));
        Assert.False(log.Shows(Event(RolloutEventKind.Paused, 10)));
        Assert.True(log.Shows(Event(RolloutEventKind.Paused, 40))); // paused again later: another transition
    }
}

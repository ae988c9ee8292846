using Aviary.Grains.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Workflows;

public sealed class AttemptAuditTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly AttemptAudit _audit = new(Period);

    private DateTimeOffset Now => _time.GetUtcNow();

    private List<(int Task, int Attempt)> AuditNow(params (int Task, int Attempt, bool Held)[] findings)
    {
        _time.Advance(Period);
        Assert.True(_audit.IsDue(Now));
        return _audit.Judge(findings, Now);
    }

    [Fact]
    public void Schedule_APeriodAfterAttemptsWentOut_NoneWhileNoneAre()
    {
        Assert.Null(_audit.DueAt);
        _audit.Track(attemptsOut: true, Now);
        Assert.Equal(Now + Period, _audit.DueAt);
        _time.Advance(TimeSpan.FromSeconds(10));
        _audit.Track(attemptsOut: true, Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(20), _audit.DueAt); // more attempts going out do not put it off
        Assert.False(_audit.IsDue(Now));

        _audit.Track(attemptsOut: false, Now);

        Assert.Null(_audit.DueAt);
        Assert.False(_audit.IsDue(Now));
    }

    [Fact]
    public void AttemptHeldByNoPoolAtTwoAuditsInARow_IsLost()
    {
        _audit.Track(attemptsOut: true, Now);

        Assert.Empty(AuditNow((0, 1, false), (1, 1, true)));
        Assert.Equal(Now + Period, _audit.DueAt);
        Assert.Equal([(0, 1)], AuditNow((0, 1, false), (1, 1, false)));
        Assert.Equal([(1, 1)], AuditNow((1, 1, false)));
    }

    [Fact]
    public void AttemptAnsweredOrHeldAgainBetweenAudits_IsNotLost()
    {
        _audit.Track(attemptsOut: true, Now);

        Assert.Empty(AuditNow((0, 1, false), (1, 1, false)));
        // Task 0's attempt 1 was answered and its retry is out; task 1's pool holds it after all.
        Assert.Empty(AuditNow((0, 2, false), (1, 1, true)));
        Assert.Empty(AuditNow((1, 1, false)));
    }
}

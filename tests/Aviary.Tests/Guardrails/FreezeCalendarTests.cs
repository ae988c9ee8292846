using Aviary.Guardrails;

namespace Aviary.Tests.Guardrails;

public sealed class FreezeCalendarTests
{
    // Fridays 18:00 in Berlin for 62 hours: the weekend freeze, until Monday 08:00.
    private static readonly FreezeWindow Weekend = new() { Name = "weekend", Cron = "0 18 * * FRI", Duration = TimeSpan.FromHours(62), TimeZone = "Europe/Berlin" };

    [Theory]
    [InlineData("2026-12-04T16:59:00Z", null)]                    // Friday 17:59 in Berlin (UTC+1)
    [InlineData("2026-12-04T17:00:00Z", "2026-12-07T07:00:00Z")]  // Friday 18:00: starts
    [InlineData("2026-12-06T12:00:00Z", "2026-12-07T07:00:00Z")]  // Sunday
    [InlineData("2026-12-07T06:59:00Z", "2026-12-07T07:00:00Z")]  // Monday 07:59
    [InlineData("2026-12-07T07:00:00Z", null)]                    // Monday 08:00: over
    [InlineData("2026-07-03T16:00:00Z", "2026-07-06T06:00:00Z")]  // summer time (UTC+2): Friday 18:00 is 16:00 UTC
    public void Recurring_InItsTimeZone_HoldsFromEachStartForItsDuration(string now, string? until)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(until is null ? null : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), FreezeCalendar.Until(Weekend, at));
    }

    [Fact]
    public void OneOff_HoldsFromItsStartUntilItsEnd_Exclusive()
    {
        var from = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        var window = new FreezeWindow { Name = "black-friday", From = from, Until = from.AddDays(4) };

        Assert.Null(FreezeCalendar.Until(window, from.AddTicks(-1)));
        Assert.Equal(from.AddDays(4), FreezeCalendar.Until(window, from));
        Assert.Null(FreezeCalendar.Until(window, from.AddDays(4)));
    }

    [Fact]
    public void At_TwoWindowsInForce_NamesTheOneThatEndsLast()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var release = new FreezeWindow { Name = "release-week", Reason = "v10 launch", From = now.AddDays(-1), Until = now.AddDays(5) };

        var found = FreezeCalendar.At([Weekend, release], now);

        Assert.Equal(("release-week", "v10 launch", now.AddDays(5)), (found!.Name, found.Reason, found.Until));
    }
}

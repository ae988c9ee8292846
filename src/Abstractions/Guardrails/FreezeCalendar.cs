using Cronos;

namespace Aviary.Guardrails;

/// <summary>Whether a freeze window is in force at an instant. Pure: the caller gives the time.</summary>
public static class FreezeCalendar
{
    /// <summary>The window in force at <paramref name="now"/> that ends last, or null.</summary>
    public static ActiveFreeze? At(IEnumerable<FreezeWindow> windows, DateTimeOffset now)
    {
        ActiveFreeze? found = null;
        foreach (var window in windows)
        {
            if (Until(window, now) is { } until && (found is null || until > found.Until))
                found = new ActiveFreeze { Name = window.Name, Reason = window.Reason, Until = until };
        }
        return found;
    }

    /// <summary>When <paramref name="window"/> ends, if it is in force at <paramref name="now"/>.</summary>
    public static DateTimeOffset? Until(FreezeWindow window, DateTimeOffset now)
    {
        if (!window.IsRecurring)
            return window.From <= now && now < window.Until ? window.Until : null;
        var duration = window.Duration ?? TimeSpan.Zero;
        var expression = CronExpression.Parse(window.Cron!, CronFormat.Standard);
        var zone = Zone(window.TimeZone);
        // The freeze that began last within one duration before now still holds.
        DateTimeOffset? until = null;
        foreach (var start in expression.GetOccurrences(now - duration, now, zone, fromInclusive: false, toInclusive: true))
            until = start + duration;
        return until > now ? until : null;
    }

    /// <summary>The time zone named <paramref name="id"/> (IANA), UTC when none is named.</summary>
    public static TimeZoneInfo Zone(string? id) =>
        string.IsNullOrEmpty(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
}

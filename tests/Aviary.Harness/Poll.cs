namespace Aviary.Harness;

/// <summary>
/// Asks again until an answer holds: for state that changes by itself (stream deliveries, timers,
/// reminders, another process), where an event may have gone by before anyone listened.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>Asks every 20 ms until <paramref name="holds"/>, for at most <paramref name="timeout"/> (30 s by default).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> holds, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        var last = default(T);
        while (true)
        {
            last = await ask();
            if (holds(last))
                return last;
            try
            {
                await Task.Delay(Period, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds} s; last answer: {last}");
            }
        }
    }

    /// <summary>Until <paramref name="condition"/> is true.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, held => held, what, timeout);
}

using System.Threading.Channels;

namespace Aviary.Client.Cli;

/// <summary>
/// Waiting on events a stream subscription puts in a channel, for the consoles that follow a
/// rollout or a run: a bounded wait between refreshes of the stored state, and a last short wait
/// for the final event, which is published just after the end is stored.
/// </summary>
public static class LiveEvents
{
    /// <summary>How long a console waits for the final event once the stored state says it ended.</summary>
    public static readonly TimeSpan FinalEventPatience = TimeSpan.FromSeconds(2);

    /// <summary>Waits at most <paramref name="patience"/> for events; false when none came (time to look at the state again).</summary>
    public static async Task<bool> WaitAsync<T>(ChannelReader<T> events, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(patience);
        try
        {
            return await events.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Shows events until one that <paramref name="isFinal"/>, for at most <see cref="FinalEventPatience"/>.
    /// Memory streams do not replay: an event lost with a silo is not waited for longer, as the
    /// stored state already said how it ended.
    /// </summary>
    public static async Task DrainUntilFinalAsync<T>(ChannelReader<T> events, Func<T, Task> show, Func<T, bool> isFinal, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(FinalEventPatience);
        try
        {
            while (await events.WaitToReadAsync(wait.Token))
            {
                while (events.TryRead(out var e))
                {
                    await show(e);
                    if (isFinal(e))
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Lost with a silo.
        }
    }
}

using System.Text.Json;
using System.Threading.Channels;

namespace Aviary.Client.Cli;

/// <summary>One message of the silo's live feed (<c>/api/events</c>).</summary>
public sealed record FeedMessage(string? Id, string Kind, string Type, string? Service, string? Run, DateTimeOffset At, JsonElement Data)
{
    public T As<T>() => Data.Deserialize<T>(ApiConnection.Json)!;
}

/// <summary>
/// Follows <c>/api/events</c> (server-sent events) for the consoles that watch: reconnects when
/// the stream breaks (to the next server when there are several), resuming with Last-Event-ID;
/// when the silo cannot resume it sends <c>reset</c> and a snapshot. What a watcher shows never
/// rests on the feed alone: it reads the stored state again after every reconnect.
/// </summary>
public sealed class EventFeed : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    private readonly Channel<FeedMessage> _messages = Channel.CreateUnbounded<FeedMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop;
    private readonly Task _reading;
    private int _reconnects;

    private EventFeed(ApiConnection api, string query, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reading = ReadAsync(api, "/api/events?" + query, _stop.Token);
    }

    /// <summary>Messages as they come (snapshots, changes, notices other than heartbeats).</summary>
    public ChannelReader<FeedMessage> Messages => _messages.Reader;

    /// <summary>Times the feed was connected again after a break: each time, the stored state is worth reading.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>
    /// Opens the feed and waits until the silo has sent its snapshot: from then on no change the
    /// filter covers is missed. Bad filters and refused credentials are thrown from here.
    /// </summary>
    public static async Task<EventFeed> OpenAsync(ApiConnection api, string query, CancellationToken cancellationToken)
    {
        var feed = new EventFeed(api, query, cancellationToken);
        var first = await Task.WhenAny(feed._ready.Task, feed._reading);
        if (first == feed._reading)
        {
            await feed.DisposeAsync();
            await feed._reading; // its error
            throw new ServerUnreachableException(api.Server.ToString());
        }
        return feed;
    }

    /// <summary>429 on a reconnect: wait and try again, as for a silo that went away.</summary>
    private static bool IsRateLimited(Exception ex) => ex is Aviary.Errors.AviaryValidationException { Field: "caller" };

    private async Task ReadAsync(ApiConnection api, string path, CancellationToken cancellationToken)
    {
        try
        {
            await FollowAsync(api, path, cancellationToken);
        }
        finally
        {
            // However it ends, whoever reads the messages learns that no more will come.
            _messages.Writer.TryComplete();
        }
    }

    private async Task FollowAsync(ApiConnection api, string path, CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        var delay = FirstRetry;
        var brokenSince = (DateTimeOffset?)null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await api.OpenStreamAsync(path, lastEventId, cancellationToken);
                if (_ready.Task.IsCompleted)
                    Interlocked.Increment(ref _reconnects);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var reader = new StreamReader(body);
                string? id = null, data = null;
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data is not null)
                        {
                            var message = JsonSerializer.Deserialize<FeedMessage>(data, ApiConnection.Json)!;
                            if (id is not null)
                                lastEventId = id;
                            if (message is { Kind: "feed", Type: "snapshot-complete" })
                                _ready.TrySetResult();
                            if (message.Type != "heartbeat")
                                _messages.Writer.TryWrite(message);
                            brokenSince = null;
                            delay = FirstRetry;
                        }
                        id = data = null;
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                        id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                        data = line[6..];
                }
            }
            catch (Exception ex) when ((ex is HttpRequestException or IOException or ServerUnreachableException || IsRateLimited(ex)) && _ready.Task.IsCompleted)
            {
                // The stream broke (a silo went away): reconnect below, for at most TransientCalls.Patience.
                brokenSince ??= DateTimeOffset.UtcNow;
                if (DateTimeOffset.UtcNow - brokenSince > TransientCalls.Patience)
                    throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            if (!_ready.Task.IsCompleted)
                throw new ServerUnreachableException(api.Server.ToString());
            await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, delay.Ticks * 2));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
            // Ended with the watch: what the watch shows comes from the stored state, read again each second.
        }
        _stop.Dispose();
    }
}

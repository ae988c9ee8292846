using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Api;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Aviary.Silo.Feeds;

/// <summary>
/// <c>GET /api/events</c> (server-sent events) and <c>/api/events/ws</c> (WebSocket): a snapshot
/// of what the filter covers, then its changes, each change with an id. Both send the same JSON
/// message: <c>{ id, kind, type, service, run, at, data }</c>. Filters: <c>kind</c>
/// (rollout, workflow, agent, metrics; comma-separated), <c>service</c>, <c>run</c>. A client
/// resumes with <c>Last-Event-ID</c> (header, or <c>lastEventId</c> in the query or in a
/// WebSocket subscribe message), or is told <c>reset</c> and given a snapshot.
/// </summary>
public static class EventsApi
{
    /// <summary>A WebSocket client's message: <c>{"type":"ping"}</c>, or <c>{"type":"subscribe","kind":...,"service":...,"run":...,"lastEventId":...}</c>.</summary>
    private const int MaxClientMessage = 4 * 1024;

    /// <summary>How long a client has to answer the silo's close before the connection is cut.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a dropped client has to take the notice that says why.</summary>
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", ServerSentEventsAsync).RequireRole(AviaryRole.Viewer)
            .WithSummary("Live events as server-sent events: a snapshot, then changes (kind, service, run filters; Last-Event-ID resumes)")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        app.MapGet("/api/events/ws", WebSocketAsync).RequireRole(AviaryRole.Viewer)
            .WithSummary("Live events over a WebSocket: the same messages; send {\"type\":\"subscribe\",...} to change the filter, anything at least every idle timeout")
            .Produces(StatusCodes.Status101SwitchingProtocols);
        return app;
    }

    private static async Task ServerSentEventsAsync(HttpContext context, string? kind, string? service, string? run, string? lastEventId,
        EventHub hub, FeedOptions options, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var filter = FeedFilter.Parse(kind, service, run);
        var resumeFrom = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        var subscriber = await OpenAsync(context, hub, filter, resumeFrom, "sse");
        if (subscriber is null)
            return;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and the like: pass each event on at once
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var serializer = json.Value.SerializerOptions;
        var aborted = context.RequestAborted;
        // Writes end when the client goes or when the hub drops it (a client that stopped reading
        // would otherwise hold a write, and its socket, for ever).
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(aborted, subscriber.Dropped);
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cut.Token);
            foreach (var e in subscriber.Prelude)
                await WriteSseAsync(response, e, serializer, cut.Token);
            await response.Body.FlushAsync(cut.Token);
            var queue = subscriber.Queue.Reader;
            while (true)
            {
                if (await WaitAsync(queue, options.Heartbeat, time, cut.Token))
                {
                    while (queue.TryRead(out var e))
                        await WriteSseAsync(response, e, serializer, cut.Token);
                }
                else if (queue.Completion.IsCompleted)
                {
                    // Dropped (the hub completes the queue too): say why below.
                    if (subscriber.DropReason is not null)
                        throw new OperationCanceledException(subscriber.Dropped);
                    return;
                }
                else
                {
                    await WriteSseAsync(response, EventHub.Notice(FeedNotices.Heartbeat, time.GetUtcNow(), new { }), serializer, cut.Token);
                }
                await response.Body.FlushAsync(cut.Token);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (OperationCanceledException) when (subscriber.DropReason is { } reason)
        {
            // Dropped: what is still queued is not sent (the client reconnects and resumes). Say
            // why if the client still reads; else cut the connection.
            using var last = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            last.CancelAfter(NoticeGrace);
            try
            {
                await WriteSseAsync(response, EventHub.Notice(FeedNotices.Dropped, time.GetUtcNow(), new { reason, detail = subscriber.DropDetail }), serializer, last.Token);
                await response.Body.FlushAsync(last.Token);
                // A client that stopped reading would otherwise keep the connection (kept alive, unread) for minutes.
                if (reason == "slow-consumer")
                    context.Abort();
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }
        }
        finally
        {
            hub.Close(subscriber);
        }
    }

    private static async Task WebSocketAsync(HttpContext context, string? kind, string? service, string? run, string? lastEventId,
        EventHub hub, FeedOptions options, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            throw new AviaryValidationException("upgrade", "/api/events/ws is a WebSocket: connect with Upgrade: websocket (or use /api/events for server-sent events)");
        var filter = FeedFilter.Parse(kind, service, run);
        var first = await OpenAsync(context, hub, filter, context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId, "websocket");
        if (first is null)
            return;
        var session = new WebSocketSession(first, time.GetUtcNow());
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            session.Heard(time.GetUtcNow());
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var serializer = json.Value.SerializerOptions;
            var receiving = ReceiveAsync(socket, session, hub, options, time, serializer, stop);
            try
            {
                await SendAsync(socket, session, hub, options, time, serializer, stop.Token);
                // Closed from here: the client answers the close (a receive cancelled before that
                // would reset the connection, and the client could lose the last messages).
                await receiving.WaitAsync(CloseGrace, time, stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException)
            {
                // Closed by either side, the client did not answer the close, or it stopped reading.
            }
            finally
            {
                await stop.CancelAsync();
                await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            hub.Close(session.Current);
        }
    }

    /// <summary>The one writer of a WebSocket: a subscriber's prelude and queue, the notices, the heartbeats, and the closing message.</summary>
    private static async Task SendAsync(WebSocket socket, WebSocketSession session, EventHub hub, FeedOptions options, TimeProvider time,
        JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        FeedSubscriber? sent = null;
        var lastSent = time.GetUtcNow();
        async Task Send(FeedEvent e, CancellationToken token)
        {
            await SendJsonAsync(socket, e, serializer, token);
            lastSent = time.GetUtcNow();
        }
        Task Say(FeedEvent e) => Send(e, cancellationToken);
        while (!cancellationToken.IsCancellationRequested && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            var subscriber = session.Current;
            if (!ReferenceEquals(subscriber, sent))
            {
                foreach (var e in subscriber.Prelude)
                    await Say(e);
                sent = subscriber;
            }
            while (session.Notices.TryDequeue(out var notice))
                await Say(notice);
            if (session.CloseReason is { } why)
            {
                await socket.CloseOutputAsync(why.Status, why.Reason, cancellationToken);
                return;
            }
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed by the client", cancellationToken);
                return;
            }

            if (subscriber.DropReason is { } reason)
            {
                // Said if the client still reads; a client that does not is cut when the grace ends.
                using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                grace.CancelAfter(NoticeGrace);
                await Send(EventHub.Notice(FeedNotices.Dropped, time.GetUtcNow(), new { reason, detail = subscriber.DropDetail }), grace.Token);
                var text = $"{reason}: {subscriber.DropDetail}";
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, text[..Math.Min(text.Length, 120)], grace.Token);
                return;
            }

            var now = time.GetUtcNow();
            var quietUntil = session.LastHeard + options.IdleTimeout;
            if (now >= quietUntil)
            {
                hub.Drop(subscriber, "idle", $"nothing received for {options.IdleTimeout.TotalSeconds:0.#} s");
                continue; // says why and closes
            }
            var heartbeatDue = lastSent + options.Heartbeat;
            var patience = (heartbeatDue < quietUntil ? heartbeatDue : quietUntil) - now;
            var queue = subscriber.Queue.Reader;
            if (await WaitAsync(queue, patience > TimeSpan.Zero ? patience : TimeSpan.Zero, time, cancellationToken, session.Wake))
            {
                // A send the hub's drop cancels aborts the socket: a client that stopped reading is cut.
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, subscriber.Dropped);
                while (subscriber.DropReason is null && queue.TryRead(out var e))
                    await Send(e, cut.Token);
            }
            else if (session.Woken())
            {
                continue; // a new subscription or a notice
            }
            else if (queue.Completion.IsCompleted && ReferenceEquals(subscriber, session.Current))
            {
                if (subscriber.DropReason is null)
                    return;
                // Dropped: the top of the loop says why and closes.
            }
            else if (!cancellationToken.IsCancellationRequested && time.GetUtcNow() >= lastSent + options.Heartbeat)
            {
                await Say(EventHub.Notice(FeedNotices.Heartbeat, time.GetUtcNow(), new { }));
            }
        }
    }

    /// <summary>
    /// Reads the client's messages: pings (any message keeps it alive), and subscriptions, which
    /// open a new filter (snapshot or resume) and replace the old one. The sender closes a client
    /// silent for the idle timeout.
    /// </summary>
    private static async Task ReceiveAsync(WebSocket socket, WebSocketSession session, EventHub hub, FeedOptions options, TimeProvider time,
        JsonSerializerOptions serializer, CancellationTokenSource stop)
    {
        var buffer = new byte[MaxClientMessage];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        session.Close(WebSocketCloseStatus.MessageTooBig, $"a message must be at most {MaxClientMessage} bytes");
                        return;
                    }
                    // Never cancelled while the socket is in use: a cancelled receive aborts a WebSocket.
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                session.Heard(time.GetUtcNow());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    session.Close(WebSocketCloseStatus.NormalClosure, "closed by the client"); // the sender answers it
                    return;
                }
                await HandleAsync(Encoding.UTF8.GetString(buffer, 0, length), session, hub, time, serializer, stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed.
        }
    }

    private static async Task HandleAsync(string text, WebSocketSession session, EventHub hub, TimeProvider time, JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        ClientMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<ClientMessage>(text, serializer);
        }
        catch (JsonException ex)
        {
            session.Notify(Error(time, "message", $"must be JSON like {{\"type\":\"ping\"}} ({ex.Message})"));
            return;
        }
        switch (message?.Type)
        {
            case "ping":
                session.Notify(EventHub.Notice("pong", time.GetUtcNow(), new { }));
                return;
            case "subscribe":
                try
                {
                    var filter = FeedFilter.Parse(message.Kind, message.Service, message.Run);
                    var next = await hub.OpenAsync(filter, message.LastEventId, "websocket", cancellationToken);
                    hub.Close(session.Replace(next));
                }
                catch (AviaryValidationException ex)
                {
                    session.Notify(Error(time, ex.Field, ex.Rule));
                }
                catch (FeedFullException ex)
                {
                    session.Notify(Error(time, "connections", ex.Message));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The cluster could not give the snapshot now: the old subscription goes on.
                    session.Notify(Error(time, "subscribe", $"could not be served now, try again ({ex.GetType().Name})"));
                }
                return;
            default:
                session.Notify(Error(time, "type", $"must be 'ping' or 'subscribe' (got '{message?.Type}')"));
                return;
        }
    }

    private static FeedEvent Error(TimeProvider time, string field, string rule) =>
        EventHub.Notice("error", time.GetUtcNow(), new { field, rule });

    /// <summary>Opens the feed, or answers 503 naming the limit when there are too many.</summary>
    private static async Task<FeedSubscriber?> OpenAsync(HttpContext context, EventHub hub, FeedFilter filter, string? lastEventId, string transport)
    {
        try
        {
            return await hub.OpenAsync(filter, lastEventId, transport, context.RequestAborted);
        }
        catch (FeedFullException ex)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            await ApiProblems.WriteAsync(context.Response, ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Too many live feeds", "connections", ex.Message), context.RequestAborted);
            return null;
        }
    }

    /// <summary>
    /// Waits at most <paramref name="patience"/> for something to read: false when none came, the
    /// queue was completed, or <paramref name="wake"/> fired; throws when <paramref name="cancellationToken"/> did.
    /// </summary>
    private static async Task<bool> WaitAsync(System.Threading.Channels.ChannelReader<FeedEvent> queue, TimeSpan patience, TimeProvider time,
        CancellationToken cancellationToken, CancellationToken wake = default)
    {
        using var timeout = new CancellationTokenSource(patience, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, wake);
        try
        {
            return await queue.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WriteSseAsync(HttpResponse response, FeedEvent e, JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (e.Id is not null)
            text.Append("id: ").Append(e.Id).Append('\n');
        text.Append("event: ").Append(KindName(e.Kind)).Append('\n');
        // JSON has no raw newlines: one data line.
        text.Append("data: ").Append(JsonSerializer.Serialize(Message.Of(e), serializer)).Append("\n\n");
        await response.WriteAsync(text.ToString(), cancellationToken);
    }

    private static Task SendJsonAsync(WebSocket socket, FeedEvent e, JsonSerializerOptions serializer, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(Message.Of(e), serializer), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public static string KindName(FeedKind kind) => kind switch
    {
        FeedKind.Rollout => "rollout",
        FeedKind.Workflow => "workflow",
        FeedKind.Agent => "agent",
        FeedKind.Metrics => "metrics",
        _ => "feed",
    };

    /// <summary>What a feed sends, on either transport.</summary>
    public sealed record Message(string? Id, string Kind, string Type, string? Service, string? Run, DateTimeOffset At, object Data)
    {
        public static Message Of(FeedEvent e) => new(e.Id, KindName(e.Kind), e.Type, e.Service, e.Run, e.At, e.Data);
    }

    private sealed record ClientMessage(string? Type, string? Kind, string? Service, string? Run, string? LastEventId);

    /// <summary>One WebSocket's current subscription, notices waiting to be sent, and how it is to close.</summary>
    private sealed class WebSocketSession(FeedSubscriber first, DateTimeOffset opened)
    {
        private FeedSubscriber _current = first;
        private CancellationTokenSource _wake = new();
        private long _lastHeard = opened.UtcTicks;

        /// <summary>When the client last sent anything.</summary>
        public DateTimeOffset LastHeard => new(Interlocked.Read(ref _lastHeard), TimeSpan.Zero);

        public void Heard(DateTimeOffset at) => Interlocked.Exchange(ref _lastHeard, at.UtcTicks);

        public FeedSubscriber Current => Volatile.Read(ref _current);

        public System.Collections.Concurrent.ConcurrentQueue<FeedEvent> Notices { get; } = new();

        public (WebSocketCloseStatus Status, string Reason)? CloseReason { get; private set; }

        public CancellationToken Wake => Volatile.Read(ref _wake).Token;

        /// <summary>True (once) when the sender was woken for a notice or a new subscription.</summary>
        public bool Woken()
        {
            var wake = Volatile.Read(ref _wake);
            if (!wake.IsCancellationRequested)
                return false;
            Interlocked.CompareExchange(ref _wake, new CancellationTokenSource(), wake);
            return true;
        }

        public FeedSubscriber Replace(FeedSubscriber next)
        {
            var old = Interlocked.Exchange(ref _current, next);
            Volatile.Read(ref _wake).Cancel();
            return old;
        }

        public void Notify(FeedEvent notice)
        {
            Notices.Enqueue(notice);
            Volatile.Read(ref _wake).Cancel();
        }

        public void Close(WebSocketCloseStatus status, string reason)
        {
            CloseReason = (status, reason);
            Volatile.Read(ref _wake).Cancel();
        }
    }
}

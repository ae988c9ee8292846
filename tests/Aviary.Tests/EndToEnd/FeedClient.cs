using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Aviary.Tests.EndToEnd;

/// <summary>One message of a live feed as a test sees it, with the SSE id line when there was one.</summary>
public sealed record FeedLine(string? SseId, JsonElement Message)
{
    public string? Id => Message.GetProperty("id").GetString();
    public string Kind => Message.GetProperty("kind").GetString()!;
    public string Type => Message.GetProperty("type").GetString()!;
    public string? Service => Message.GetProperty("service").GetString();
    public string? Run => Message.GetProperty("run").GetString();
    public JsonElement Data => Message.GetProperty("data");
    public override string ToString() => $"{Kind}/{Type} {Service}{Run} {Id}";
}

/// <summary>A live feed read the way a client reads it: server-sent events over HTTP, or a WebSocket.</summary>
public sealed class FeedClient : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Channel<FeedLine> _lines = Channel.CreateUnbounded<FeedLine>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FeedLine> _seen = [];
    private Task _reading = Task.CompletedTask;
    private HttpClient? _http;
    private ClientWebSocket? _socket;

    public IReadOnlyList<FeedLine> Seen => _seen;

    /// <summary>The reason the server gave when it closed a WebSocket.</summary>
    public string? CloseReason => _socket?.CloseStatusDescription;

    public WebSocketCloseStatus? CloseStatus => _socket?.CloseStatus;

    /// <summary>Opens <c>/api/events</c> with <paramref name="query"/>, resuming after <paramref name="lastEventId"/> when given.</summary>
    public static async Task<FeedClient> SseAsync(Uri server, string key, string query, string? lastEventId = null)
    {
        var client = new FeedClient { _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan } };
        client._http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events?" + query);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        client._reading = client.ReadSseAsync(response, client._stop.Token);
        return client;
    }

    public static async Task<FeedClient> WebSocketAsync(Uri server, string key, string query)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the test decides what the client sends
        var uri = new UriBuilder(server) { Scheme = "ws", Path = "/api/events/ws", Query = query }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        var client = new FeedClient { _socket = socket };
        client._reading = client.ReadSocketAsync(socket, client._stop.Token);
        return client;
    }

    public Task SendAsync(string json) =>
        _socket!.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message that <paramref name="match"/>es (skipping others, which stay in <see cref="Seen"/>).</summary>
    public async Task<FeedLine> NextAsync(Func<FeedLine, bool> match, string what, TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? Patience);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(timeout.Token);
                _seen.Add(line);
                if (match(line))
                    return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} did not come within {(patience ?? Patience).TotalSeconds} s; seen: {string.Join(", ", _seen)}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the feed ended before {what}; seen: {string.Join(", ", _seen)}");
        }
    }

    /// <summary>Everything up to the end of the snapshot.</summary>
    public async Task<List<FeedLine>> SnapshotAsync()
    {
        var start = _seen.Count;
        await NextAsync(l => l is { Kind: "feed", Type: "snapshot-complete" }, "the end of the snapshot");
        return _seen.Skip(start).ToList();
    }

    /// <summary>Waits until the server ends the feed.</summary>
    public async Task EndedAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (await _lines.Reader.WaitToReadAsync(timeout.Token))
        {
            while (_lines.Reader.TryRead(out var line))
                _seen.Add(line);
        }
    }

    private async Task ReadSseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using (response)
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                using var reader = new StreamReader(body);
                string? id = null, data = null;
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data is not null)
                            _lines.Writer.TryWrite(new FeedLine(id, JsonDocument.Parse(data).RootElement.Clone()));
                        id = data = null;
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                        id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                        data = line[6..];
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task ReadSocketAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                _lines.Writer.TryWrite(new FeedLine(null, JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone()));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is { State: WebSocketState.Open })
        {
            try
            {
                // The close handshake: the silo answers, and the reader sees its close.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                await _reading.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
                // Gone already, or it did not answer: cut below.
            }
        }
        await _stop.CancelAsync();
        await _reading;
        _socket?.Dispose();
        _http?.Dispose();
        _stop.Dispose();
    }
}

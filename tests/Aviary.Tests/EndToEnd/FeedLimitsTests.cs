using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// A real silo with tight feed settings (heartbeat 200 ms, idle timeout 1 s, three feeds at
/// once, 16 events waiting per client): heartbeats, idle WebSockets closed, the connection bound,
/// a slow client dropped with its reason while the silo goes on, and /metrics counting them.
/// </summary>
public sealed class FeedLimitsTests : IAsyncLifetime
{
    private const int MaxConnections = 3;

    private EmbeddedSilo? _silo;

    private EmbeddedSilo Silo => _silo!;

    public async Task InitializeAsync() =>
        _silo = await EmbeddedSilo.StartAsync(
            "--Aviary:Feeds:Heartbeat", "00:00:00.200", "--Aviary:Feeds:IdleTimeout", "00:00:01",
            "--Aviary:Feeds:MaxConnections", MaxConnections.ToString(), "--Aviary:Feeds:QueueCapacity", "16",
            "--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }

    [Fact]
    public async Task QuietFeeds_GetHeartbeats_APingingWebSocketStays_ASilentOneIsClosedAsIdle()
    {
        await using var sse = await FeedClient.SseAsync(Silo.Http, Silo.AdminKey, "kind=agent");
        await sse.SnapshotAsync();
        await sse.NextAsync(l => l.Type == "heartbeat", "a heartbeat", TimeSpan.FromSeconds(10));
        await sse.NextAsync(l => l.Type == "heartbeat", "a second heartbeat", TimeSpan.FromSeconds(10));

        await using var pinging = await FeedClient.WebSocketAsync(Silo.Http, Silo.AdminKey, "kind=agent");
        await using var silent = await FeedClient.WebSocketAsync(Silo.Http, Silo.AdminKey, "kind=agent");
        await pinging.SnapshotAsync();
        await silent.SnapshotAsync();
        // Six heartbeats (1.2 s, past the idle timeout) with a ping after each.
        for (var i = 0; i < 6; i++)
        {
            await pinging.NextAsync(l => l.Type == "heartbeat", "a heartbeat", TimeSpan.FromSeconds(10));
            await pinging.SendAsync("""{"type":"ping"}""");
        }
        await silent.EndedAsync(TimeSpan.FromSeconds(10));
        await pinging.SendAsync("""{"type":"ping"}""");
        await pinging.NextAsync(l => l.Type == "pong", "a pong: still open", TimeSpan.FromSeconds(10));

        var dropped = silent.Seen[^1];
        Assert.True(dropped.Type == "dropped", string.Join(", ", silent.Seen.Select(l => l.Message.ToString())));
        Assert.Equal("idle", dropped.Data.GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
        Assert.StartsWith("idle: nothing received for 1 s", silent.CloseReason);
        Assert.True(await CounterAsync("aviary_feed_dropped", "reason=\"idle\"") >= 1);
    }

    [Fact]
    public async Task OneFeedOverTheBound_Is503NamingTheLimit_AndMetricsCountTheConnections()
    {
        await Poll.UntilAsync(() => CounterAsync("aviary_feed_connections", "transport=\"sse\""), n => n == 0, "no feeds open");
        var open = new List<FeedClient>();
        try
        {
            for (var i = 0; i < MaxConnections; i++)
                open.Add(await FeedClient.SseAsync(Silo.Http, Silo.AdminKey, "kind=agent"));
            using var api = Silo.Api();
            var refused = await api.GetAsync("/api/events?kind=agent", HttpCompletionOption.ResponseHeadersRead);
            var connections = await CounterAsync("aviary_feed_connections", "transport=\"sse\"");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("connections", $"at most {MaxConnections} live feeds at once"), (problem.GetProperty("field").GetString(), problem.GetProperty("rule").GetString()));
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(MaxConnections, connections);
        }
        finally
        {
            foreach (var feed in open)
                await feed.DisposeAsync();
        }
        await Poll.UntilAsync(() => CounterAsync("aviary_feed_connections", "transport=\"sse\""), n => n == 0, "the feeds counted as closed");
    }

    /// <summary>
    /// A client that stops reading (a tiny receive buffer, never read) while a 10,000-task run
    /// publishes: its queue fills and it is dropped (counted with the reason), its connection is
    /// cut, and the silo answers meanwhile and the run completes.
    /// </summary>
    [Fact]
    public async Task ASlowClient_IsDroppedWithTheReason_AndTheSiloGoesOn()
    {
        var before = await CounterAsync("aviary_feed_dropped", "reason=\"slow-consumer\"");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, Silo.HttpPort);
        var request = $"GET /api/events?kind=workflow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Silo.AdminKey}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[256];
        await socket.ReceiveAsync(buffer); // the response has started: the feed is open; now stop reading

        var run = $"slow-{Guid.NewGuid():N}"[..20];
        var plan = new StringBuilder("name: wide\ntasks:\n");
        for (var i = 0; i < 10_000; i++)
            plan.Append($"  - id: t{i}\n    agent: noop\n");
        using var api = Silo.Api();
        (await api.PostAsync($"/api/workflows/{run}", new StringContent(plan.ToString(), Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(() => CounterAsync("aviary_feed_dropped", "reason=\"slow-consumer\""), n => n > before, "the slow client dropped", TimeSpan.FromSeconds(60));
        var ready = await api.GetAsync(Aviary.Silo.Health.HealthEndpoints.ReadyPath);
        await Poll.UntilAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString(), s => s == "succeeded", "the run done", TimeSpan.FromSeconds(120));

        // The client never read again: after the notice's grace its connection is cut, not kept open uncounted.
        var ended = await ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(30));
        var connections = await CounterAsync("aviary_feed_connections", "transport=\"sse\"");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(ended, "the silo closed the slow client's connection");
        Assert.Equal(0, connections);
    }

    /// <summary>Reads until the peer closes or resets the connection; false when it is still open at the end.</summary>
    private static async Task<bool> ReadUntilClosedAsync(Socket socket, TimeSpan patience)
    {
        using var reading = new CancellationTokenSource(patience);
        var chunk = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(chunk, reading.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true; // reset
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A series' value in the silo's /metrics (0 when absent).</summary>
    private async Task<double> CounterAsync(string name, string label)
    {
        using var api = Silo.Api();
        var text = await api.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// The live feeds of the real silo: <c>/api/events</c> (server-sent events) and
/// <c>/api/events/ws</c> (WebSocket): a snapshot, then changes with ids, resumption with
/// Last-Event-ID or a reset and a new snapshot, filters, and metric aggregates.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class FeedTests(SiloProcessFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    /// <summary>Checks that never come on their own during a test: the rollout moves only when told.</summary>
    private static readonly object Held = new { interval = "01:00:00", bake = "01:00:00" };

    [Fact]
    public async Task Sse_SnapshotFirst_ThenChangesWithIds_AndMetricAggregatesEachSecond()
    {
        var service = Service("feed-sse");
        (await _api.PostAsync($"/api/deployments/{service}/versions/v1", null)).EnsureSuccessStatusCode();
        await using var feed = await FeedClient.SseAsync(silo.Http, silo.AdminKey, $"service={service}");

        var snapshot = await feed.SnapshotAsync();
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", Held)).EnsureSuccessStatusCode();
        var started = await feed.NextAsync(l => l is { Kind: "rollout", Type: "started" }, "the rollout's start");
        var samples = Enumerable.Range(0, 40).Select(i => new { ok = i % 10 != 0, latencyMs = 10 + i }).ToArray();
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2/samples", samples)).EnsureSuccessStatusCode();
        var aggregate = await feed.NextAsync(l => l.Kind == "metrics" && Version(l, "v2") is { } v && v.GetProperty("count").GetInt64() == 40, "an aggregate of the 40 samples");
        (await _api.PostAsync($"/api/deployments/{service}/pause?reason=feed", null)).EnsureSuccessStatusCode();
        var paused = await feed.NextAsync(l => l is { Kind: "rollout", Type: "paused" }, "the pause");

        var state = Assert.Single(snapshot, l => l is { Kind: "rollout", Type: "snapshot" });
        Assert.Equal((service, "v1"), (state.Service, state.Data.GetProperty("deployment").GetProperty("stableVersion").GetString()));
        Assert.Equal(JsonValueKind.Null, state.Data.GetProperty("rollout").ValueKind);
        Assert.Contains(snapshot, l => l is { Kind: "metrics", Type: "aggregate" } && l.Service == service);
        var complete = snapshot[^1];
        Assert.Equal(complete.Id, complete.SseId); // ids go on the SSE id line as well
        Assert.Equal((service, $"{service}/1", "v2"), (started.Service, started.Data.GetProperty("rolloutId").GetString(), started.Data.GetProperty("version").GetString()));
        Assert.True(Sequence(started) > Sequence(complete) && Sequence(paused) > Sequence(started), $"{complete.Id} < {started.Id} < {paused.Id}");
        Assert.Contains("feed", paused.Data.GetProperty("message").GetString());
        var v2 = Version(aggregate, "v2")!.Value;
        Assert.Equal(("canary", 4, 0.1), (v2.GetProperty("role").GetString(), v2.GetProperty("errors").GetInt32(), v2.GetProperty("errorRate").GetDouble()));
        Assert.True(v2.GetProperty("p95Ms").GetDouble() >= v2.GetProperty("p50Ms").GetDouble());
        Assert.Null(aggregate.Id); // aggregates are not replayed: the next comes within a second
        Assert.DoesNotContain(feed.Seen, l => l.Service is { } s && s != service);
    }

    [Fact]
    public async Task Sse_LastEventId_ResumesExactlyWithWhatWasMissed_AnUnknownOneGetsAResetAndASnapshot()
    {
        var service = Service("feed-resume");
        (await _api.PostAsync($"/api/deployments/{service}/versions/v1", null)).EnsureSuccessStatusCode();
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", Held)).EnsureSuccessStatusCode();
        string last;
        await using (var first = await FeedClient.SseAsync(silo.Http, silo.AdminKey, $"kind=rollout&service={service}"))
        {
            await first.SnapshotAsync();
            (await _api.PostAsync($"/api/deployments/{service}/pause?reason=one", null)).EnsureSuccessStatusCode();
            last = (await first.NextAsync(l => l.Type == "paused", "the pause")).Id!;
        }

        // Missed while disconnected.
        (await _api.PostAsync($"/api/deployments/{service}/resume", null)).EnsureSuccessStatusCode();
        (await _api.PostAsync($"/api/deployments/{service}/abort?reason=two", null)).EnsureSuccessStatusCode();
        await using var resumed = await FeedClient.SseAsync(silo.Http, silo.AdminKey, $"kind=rollout&service={service}", last);
        await resumed.NextAsync(l => l.Type == "aborted", "the abort");
        await using var reset = await FeedClient.SseAsync(silo.Http, silo.AdminKey, $"kind=rollout&service={service}", "0badc0de-5");
        var afterReset = await reset.SnapshotAsync();

        Assert.Equal(["resumed", "aborted"], resumed.Seen.Where(l => l.Kind == "rollout").Select(l => l.Type));
        Assert.DoesNotContain(resumed.Seen, l => l.Type is "snapshot" or "reset");
        Assert.Equal(["reset", "snapshot", "snapshot-complete"], afterReset.Select(l => l.Type));
        Assert.Equal("aborted", afterReset[1].Data.GetProperty("rollout").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sse_RunFilter_GivesThatRunsEventsOnly_AndBadFiltersAreRefusedByField()
    {
        var run = $"feed-{Guid.NewGuid():N}"[..20];
        var other = $"feed-{Guid.NewGuid():N}"[..20];
        await using var feed = await FeedClient.SseAsync(silo.Http, silo.AdminKey, $"run={run}");
        var snapshot = await feed.SnapshotAsync();
        const string plan = "name: two\ntasks:\n  - id: a\n    agent: noop\n  - id: b\n    agent: noop\n    dependsOn: [a]\n";
        (await _api.PostAsync($"/api/workflows/{other}", Yaml(plan))).EnsureSuccessStatusCode();
        (await _api.PostAsync($"/api/workflows/{run}", Yaml(plan))).EnsureSuccessStatusCode();
        await feed.NextAsync(l => l.Kind == "workflow" && l.Data.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "completed"), "the run's completion");
        var badKind = await _api.GetAsync("/api/events?kind=rollout,weather");
        var badRun = await _api.GetAsync("/api/events?run=a/b");
        var notASocket = await _api.GetAsync("/api/events/ws");

        Assert.Equal(["snapshot-complete"], snapshot.Select(l => l.Type)); // the run did not exist yet
        Assert.All(feed.Seen.Where(l => l.Kind == "workflow"), l => Assert.Equal(run, l.Run));
        Assert.Equal(["a", "b"], feed.Seen.Where(l => l.Kind == "workflow").SelectMany(l => l.Data.GetProperty("events").EnumerateArray())
            .Where(e => e.GetProperty("kind").GetString() == "succeeded").Select(e => e.GetProperty("taskId").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "kind"), (badKind.StatusCode, await FieldAsync(badKind)));
        Assert.Equal((HttpStatusCode.BadRequest, "id"), (badRun.StatusCode, await FieldAsync(badRun)));
        Assert.Equal((HttpStatusCode.BadRequest, "upgrade"), (notASocket.StatusCode, await FieldAsync(notASocket)));
    }

    [Fact]
    public async Task WebSocket_SnapshotThenChanges_ASubscribeMessageChangesTheFilter_BadMessagesAreAnswered()
    {
        var first = Service("feed-ws-a");
        var second = Service("feed-ws-b");
        (await _api.PostAsync($"/api/deployments/{second}/versions/v1", null)).EnsureSuccessStatusCode();
        await using var feed = await FeedClient.WebSocketAsync(silo.Http, silo.AdminKey, $"kind=rollout&service={first}");

        var empty = await feed.SnapshotAsync();
        await feed.SendAsync($$"""{"type":"subscribe","kind":"rollout","service":"{{second}}"}""");
        var switched = await feed.SnapshotAsync();
        (await _api.PostAsJsonAsync($"/api/deployments/{second}/versions/v2", Held)).EnsureSuccessStatusCode();
        var started = await feed.NextAsync(l => l.Type == "started", "the rollout's start");
        await feed.SendAsync("""{"type":"dance"}""");
        var wrongType = await feed.NextAsync(l => l.Type == "error", "an error for the unknown type");
        await feed.SendAsync("not json");
        var notJson = await feed.NextAsync(l => l.Type == "error", "an error for the text");
        await feed.SendAsync("""{"type":"subscribe","kind":"gossip"}""");
        var badKind = await feed.NextAsync(l => l.Type == "error", "an error for the kind");
        await feed.SendAsync("""{"type":"ping"}""");
        await feed.NextAsync(l => l.Type == "pong", "the pong");

        Assert.Equal(["snapshot-complete"], empty.Select(l => l.Type));
        Assert.Equal([("snapshot", second), ("snapshot-complete", null)], switched.Select(l => (l.Type, l.Service)));
        Assert.Equal(second, started.Service);
        Assert.Equal("type", wrongType.Data.GetProperty("field").GetString());
        Assert.Equal("message", notJson.Data.GetProperty("field").GetString());
        Assert.Equal("kind", badKind.Data.GetProperty("field").GetString());
        Assert.NotNull(started.Id);
    }

    private static string Service(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static long Sequence(FeedLine line) => long.Parse(line.Id!.Split('-')[1]);

    private static JsonElement? Version(FeedLine aggregate, string version) =>
        aggregate.Data.GetProperty("versions").EnumerateArray().Where(v => v.GetProperty("version").GetString() == version).Select(v => (JsonElement?)v).FirstOrDefault();
}

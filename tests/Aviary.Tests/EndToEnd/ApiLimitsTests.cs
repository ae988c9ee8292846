using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>A real silo with a tight rate: each caller has its own bucket, 429 says when to retry, health is never limited; oversized bodies are refused unread.</summary>
public sealed class ApiLimitsTests : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    public async Task InitializeAsync() =>
        _silo = await EmbeddedSilo.StartAsync("--Aviary:Api:RequestsPerSecond", "1", "--Aviary:Api:Burst", "5");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }

    [Fact]
    public async Task ACallerOverItsRate_Gets429WithRetryAfter_WhileOthersAndHealthGoOn()
    {
        var silo = _silo!;
        using var admin = silo.Api();
        var other = (await (await admin.PostAsJsonAsync("/api/keys", new { name = "other", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var anonymous = new HttpClient { BaseAddress = silo.Http };

        var statuses = new List<HttpResponseMessage>();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
            statuses.Add(await admin.GetAsync("/api/deployments"));
        elapsed.Stop();

        var refused = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        // The burst, less the key made above, plus one a second while the loop ran.
        Assert.InRange(statuses.Count(r => r.StatusCode == HttpStatusCode.OK), 1, 4 + (int)Math.Ceiling(elapsed.Elapsed.TotalSeconds));
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("caller", problem.GetProperty("field").GetString());
        Assert.StartsWith("at most 1 requests a second, 5 at once", problem.GetProperty("rule").GetString());
        using var someoneElse = silo.Api(other);
        Assert.Equal(HttpStatusCode.OK, (await someoneElse.GetAsync("/api/deployments")).StatusCode);
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/ready")).StatusCode);
    }

    [Fact]
    public async Task AnOversizedBody_IsRefusedUnread_NamingTheLimit_AndChangesNothing()
    {
        using var admin = _silo!.Api();
        var before = await admin.GetStringAsync("/api/keys");
        var body = JsonSerializer.Serialize(new { name = new string('x', 70_000), role = "viewer" });

        var response = await admin.PostAsync("/api/keys", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.StartsWith("must be at most 4096 bytes", problem.GetProperty("rule").GetString());
        Assert.Equal(before, await admin.GetStringAsync("/api/keys"));
    }
}

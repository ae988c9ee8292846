using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Tests.EndToEnd;

namespace Aviary.Tests.Webhooks;

/// <summary>
/// A real silo for the webhook tests: quick retries (20 ms first delay), a reminder every second
/// (hooks with stored events are woken), links rooted at <see cref="PublicUrl"/>, no rate limit.
/// </summary>
public sealed class WebhookSiloFixture : IAsyncLifetime
{
    public const string PublicUrl = "https://aviary.example.test";

    public static readonly string[] Settings =
    [
        "--reminder-period", "00:00:01",
        "--Aviary:Webhooks:RetryDelay", "00:00:00.020",
        "--Aviary:PublicUrl", PublicUrl,
        "--Aviary:Api:RequestsPerSecond", "100000",
        "--Aviary:Api:Burst", "100000",
    ];

    /// <summary>Two stages, a check every 300 ms with no bake: a healthy canary is done in about a second.</summary>
    public static readonly object QuickPolicy = new { stages = new[] { 50, 100 }, bake = "00:00:00", interval = "00:00:00.300", minSamples = 5, inconclusiveLimit = 1000 };

    private EmbeddedSilo? _silo;

    public EmbeddedSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public HttpClient Api(string? key = null) => Silo.Api(key);

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }

    /// <summary>Adds a hook through the API; returns its secret.</summary>
    public static async Task<string> AddHookAsync(HttpClient api, string id, string url, string? service, string[] events, string format = "json", string? timeout = null, int? maxAttempts = null)
    {
        var response = await api.PostAsJsonAsync("/api/webhooks", new { id, url, service, events, format, timeout, maxAttempts });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"adding webhook {id}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    /// <summary>Makes <c>v1</c> the stable version of <paramref name="service"/>.</summary>
    public static async Task StableAsync(HttpClient api, string service) =>
        (await api.PostAsync($"/api/deployments/{service}/versions/v1", null)).EnsureSuccessStatusCode();

    public static async Task<JsonElement> RolloutAsync(HttpClient api, string service, int number = 1) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/deployments/{service}/rollouts/{number}");

    public static async Task<JsonElement[]> DeliveriesAsync(HttpClient api, string id) =>
        [.. (await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries")).EnumerateArray()];

    /// <summary>Waits until rollout 1 of <paramref name="service"/> has <paramref name="status"/>.</summary>
    public static Task<JsonElement> UntilStatusAsync(HttpClient api, string service, string status, string phase, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => RolloutAsync(api, service), r => r.GetProperty("status").GetString() == status,
            $"{phase}: rollout {service}/1 {status}", timeout);
}

/// <summary>Healthy traffic for a version: 20 good samples every 100 ms, as a gateway would report them, until disposed.</summary>
public sealed class SampleFeed : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SampleFeed(HttpClient api, string service, string version)
    {
        var samples = Enumerable.Range(0, 20).Select(i => new { ok = true, latencyMs = 10 + i }).ToArray();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                do
                {
                    await api.PostAsJsonAsync($"/api/deployments/{service}/versions/{version}/samples", samples, _stop.Token);
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookSiloCollection : ICollectionFixture<WebhookSiloFixture>
{
    public const string Name = "webhook-silo";
}

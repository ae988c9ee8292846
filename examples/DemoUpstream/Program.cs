using System.Globalization;
using Aviary.DemoUpstream;

// demo-upstream --port 9001 --version 1.0.0 [--error-rate 0.3] [--latency 40ms] [--seed 1] [--same-body true]
// Every path answers 200 with {"version", "path"}, or 500 at the given rate, after the given
// latency (± 25 %). GET /_upstream/stats says how many requests it answered, and how many failed:
// what the gateway's measurements are checked against; GET /_upstream/headers, the headers it got.
if (!UpstreamSettings.TryParse(args, out var settings, out var error))
{
    Console.Error.WriteLine($"demo-upstream: {error}");
    return 1;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
builder.Logging.ClearProviders();
var app = builder.Build();
var stats = new UpstreamStats();
var random = new Random(settings.Seed);
var gate = new Lock();

app.MapGet("/_upstream/stats", () => Results.Json(stats.Read(settings.Version)));
app.MapGet("/_upstream/health", () => Results.Text("ok"));
// The headers that reached it, names in lower case: what a proxy in front added or kept.
app.MapGet("/_upstream/headers", (HttpRequest request) =>
    Results.Json(request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
app.Map("/{**path}", async (HttpContext context) =>
{
    double jitter, roll;
    lock (gate)
    {
        jitter = 0.75 + random.NextDouble() * 0.5;
        roll = random.NextDouble();
    }
    if (settings.Latency > TimeSpan.Zero)
        await Task.Delay(settings.Latency * jitter, context.RequestAborted);
    // Its own warm-up requests (below) are answered like any other but neither fail nor count.
    var warmUp = context.Request.Headers.ContainsKey(UpstreamStats.WarmUpHeader);
    var failed = !warmUp && roll < settings.ErrorRate;
    if (!warmUp)
        stats.Count(failed);
    context.Response.StatusCode = failed ? 500 : 200;
    // --same-body true: versions answer alike (what a shadow is compared on), the version only in a header.
    context.Response.Headers["x-upstream-version"] = settings.Version;
    if (settings.SameBody)
        await context.Response.WriteAsJsonAsync(new { path = context.Request.Path.Value, failed });
    else
        await context.Response.WriteAsJsonAsync(new { version = settings.Version, path = context.Request.Path.Value, failed });
});

// A real service is warm before it takes traffic (it passed its readiness probe): answer a few
// requests first, so a canary is not judged on this process's JIT.
await app.StartAsync();
using (var warm = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.Port}") })
{
    for (var i = 0; i < 20; i++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/warm-up");
        request.Headers.Add(UpstreamStats.WarmUpHeader, "1");
        (await warm.SendAsync(request)).Dispose();
    }
}
Console.WriteLine($"demo-upstream {settings.Version} listening on http://127.0.0.1:{settings.Port} (error rate {settings.ErrorRate.ToString(CultureInfo.InvariantCulture)}, latency {settings.Latency.TotalMilliseconds} ms)");
await app.WaitForShutdownAsync();
return 0;

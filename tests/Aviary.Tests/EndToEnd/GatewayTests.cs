using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Client.Cli;
using Aviary.Harness.Orleans;
using Aviary.Client.Traffic;
using Aviary.Gateway.Routing;
using Aviary.Metrics;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// The data plane for real: the silo process with its embedded gateway, real upstream processes,
/// real HTTP requests through the gateway, and the real console. Rollouts here are judged only on
/// what the gateway measured.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class GatewayTests(SiloProcessFixture silo)
{
    private static readonly TimeSpan ConsoleTimeout = TimeSpan.FromSeconds(120);

    private readonly HttpClient _api = silo.Api();

    /// <summary>Every request a new user (no cookies kept), as the load generator sends them.</summary>
    private readonly HttpClient _traffic = new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = silo.Traffic };

    private static string NewService(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task AviaryOkAsync(params string[] args)
    {
        var run = await silo.AviaryAsync(ConsoleTimeout, args);
        Assert.True(run.ExitCode == 0, $"aviary {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}{run.Stdout}");
    }

    /// <summary>A new service (added with <paramref name="addOptions"/>) whose first version, stable at once, is <paramref name="first"/>.</summary>
    private async Task<string> ServiceAsync(string prefix, Upstream first, params string[] addOptions)
    {
        var service = NewService(prefix);
        await AviaryOkAsync(["service", "add", service, .. addOptions]);
        await AviaryOkAsync("deploy", service, first.Version, "--to", first.Url);
        return service;
    }

    private async Task<HttpResponseMessage> GetAsync(string service, string path = "/", string? stickyHeader = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = service;
        if (stickyHeader is not null)
            request.Headers.Add(stickyHeader, key);
        return await _traffic.SendAsync(request);
    }

    private static string? VersionOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-aviary-version", out var values) ? values.Single() : null;

    /// <summary>Real requests through the gateway at <paramref name="rps"/> until cancelled, with <paramref name="headers"/>.</summary>
    private Task<LoadReport> LoadAsync(string service, int rps, CancellationToken stop, params KeyValuePair<string, string>[] headers)
    {
        var handler = LoadGenerator.Handler(512);
        var http = new HttpMessageInvoker(handler);
        var plan = new LoadPlan(new Uri(silo.Traffic, "/"), service, rps, TimeSpan.FromMinutes(3), headers);
        return Task.Run(async () =>
        {
            using (http)
                return await new LoadGenerator(http).RunAsync(plan, stop);
        });
    }

    [Fact]
    public async Task UnknownService_GetsA404ProblemFromTheGatewayItself()
    {
        var response = await GetAsync("no-such-service", "/anything");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unknown service", problem.GetProperty("title").GetString());
        Assert.Contains("no-such-service", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deploy_FirstVersion_IsReachedByHostAndByPathPrefix_PrefixRemoved()
    {
        var byHost = NewService("host");
        var byPrefix = NewService("prefix");
        await using var v1 = await Upstream.StartAsync("1.0.0");
        await AviaryOkAsync("service", "add", byHost, "--host", byHost);
        await AviaryOkAsync("deploy", byHost, "1.0.0", "--to", v1.Url);
        await AviaryOkAsync("service", "add", byPrefix, "--path-prefix", "/" + byPrefix);
        await AviaryOkAsync("deploy", byPrefix, "1.0.0", "--to", v1.Url);

        var hostResponse = await Poll.UntilAsync(() => GetAsync(byHost, "/orders/7"), r => r.StatusCode == HttpStatusCode.OK, "route by host");
        var prefixResponse = await Poll.UntilAsync(() => _traffic.GetAsync($"/{byPrefix}/orders/8"), r => r.StatusCode == HttpStatusCode.OK, "route by prefix");

        Assert.Equal("/orders/7", (await hostResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
        Assert.Equal("/orders/8", (await prefixResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
        Assert.Equal("1.0.0", VersionOf(prefixResponse));
    }

    [Fact]
    public async Task HealthyCanary_WalksTo100Percent_OnRealRequests()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("healthy", v1);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.OK, "v1 routed");

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(service, 200, stop.Token);
        var run = await silo.AviaryAsync(ConsoleTimeout, "deploy", service, "v2", "--to", v2.Url, "--watch",
            "--stages", "10,50,100", "--bake", "2s", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        await stop.CancelAsync();
        var report = await load;

        Assert.True(run.ExitCode == 0, $"rollout did not succeed: {run.Stdout}{run.Stderr}");
        Assert.Contains("Succeeded", run.Stdout);
        Assert.True(report.ByVersion.GetValueOrDefault("v2")?.Requests > 0, "the canary answered real requests");
        Assert.True((await v2.StatsAsync()).Served > 0);
        Assert.Equal("v2", VersionOf(await GetAsync(service)));
    }

    [Fact]
    public async Task FailingCanary_RollsBackByItself_AndEveryoneIsBackOnStable()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2", errorRate: 0.5);
        var service = await ServiceAsync("failing", v1);

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(service, 200, stop.Token);
        var run = await silo.AviaryAsync(ConsoleTimeout, "deploy", service, "v2", "--to", v2.Url, "--watch",
            "--stages", "10,50,100", "--bake", "2s", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        await stop.CancelAsync();
        await load;

        Assert.True(run.ExitCode == 3, $"expected a rollback (exit 3): {run.Stdout}{run.Stderr}");
        Assert.Contains("error rate", run.Stdout);
        Assert.True((await v2.StatsAsync()).Failed > 0, "the canary's own 500s were what rolled it back");
        for (var i = 0; i < 50; i++)
            Assert.Equal("v1", VersionOf(await GetAsync(service)));
    }

    [Fact]
    public async Task KilledCanaryUpstream_CountsAsErrors_AndRollsItsVersionBack()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("killed", v1);

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(service, 200, stop.Token);
        var watch = silo.StartAviary("deploy", service, "v2", "--to", v2.Url, "--watch",
            "--stages", "10,100", "--bake", "5m", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        await Poll.UntilAsync(async () => (await v2.StatsAsync()).Served >= 20, "the canary took traffic");
        v2.Kill();
        var exit = await watch.WaitForExitAsync(ConsoleTimeout, "deploy --watch");
        await stop.CancelAsync();
        var report = await load;
        await watch.DisposeAsync();

        Assert.True(exit == 3, $"expected a rollback (exit 3): {watch.Stdout}{watch.Stderr}");
        Assert.Contains("error rate", watch.Stdout);
        Assert.True(report.ByStatus.Keys.Any(s => s >= 500), "the dead upstream's requests failed with 5xx from the gateway");
    }

    [Fact]
    public async Task HeldAt25Percent_ShareFollowsWeight_AndEachUserStaysOnTheVersionTheRouterPicks()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("split", v1, "--sticky-header", "X-User");
        // Held at 25 %: the next stage is a manual gate, and inconclusive checks only pause.
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--stages", "25,100", "--gates", "100", "--bake", "1h", "--interval", "1h");
        await Poll.UntilAsync(async () => VersionOf(await GetAsync(service, stickyHeader: "X-User", key: KeyOnCanary(service))) == "v2", "canary routed");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var report = await LoadAsync(service, 1000, stop.Token);
        var share = 100.0 * report.ByVersion.GetValueOrDefault("v2")!.Requests / report.Answered;
        Assert.True(report.Answered > 1500, $"enough requests to judge the share ({report.Answered})");
        Assert.InRange(share, 22, 28);

        for (var user = 0; user < 100; user++)
        {
            var key = $"user-{user}";
            var expected = StickyBucket.Of(service, key) < 2500 ? "v2" : "v1";
            for (var again = 0; again < 3; again++)
                Assert.Equal(expected, VersionOf(await GetAsync(service, stickyHeader: "X-User", key: key)));
        }
    }

    [Fact]
    public async Task WithoutStickyHeader_TheGatewaysCookieKeepsAClientOnOneVersion()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("cookie", v1);
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--stages", "50,100", "--gates", "100", "--bake", "1h", "--interval", "1h");

        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = silo.Traffic };
        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = service;
            using var response = await browser.SendAsync(request);
            seen.Add(VersionOf(response)!);
        }

        Assert.Single(seen);
    }

    [Fact]
    public async Task GatewayOutcomes_EqualWhatTheUpstreamServed_NoneLost()
    {
        var service = NewService("count");
        await using var v1 = await Upstream.StartAsync("v1", errorRate: 0.2);
        await using var connection = await ClusterConnection.ConnectAsync(
            ClusterConnection.Target.FromGateways(GatewayAddress.ResolveList(silo.Gateway), silo.Gateway),
            new ClusterIdentity(ClusterIdentity.DefaultClusterId, ClusterIdentity.DefaultServiceId), CancellationToken.None);
        var metrics = connection.Client.GetGrain<IServiceMetricsGrain>(service);
        // Windows keep as much as anyone asks for (a rollout asks for its check interval): ask
        // before the first request, so every outcome of this service is kept.
        await metrics.GetSnapshotAsync("v1", TimeSpan.FromMinutes(5));
        await AviaryOkAsync("service", "add", service);
        await AviaryOkAsync("deploy", service, "v1", "--to", v1.Url);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode is HttpStatusCode.OK or HttpStatusCode.InternalServerError, "v1 routed");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var report = await LoadAsync(service, 1000, stop.Token);
        var (served, failed) = await v1.StatsAsync();
        var recorded = await Poll.UntilAsync(() => metrics.GetSnapshotAsync("v1", TimeSpan.FromMinutes(5)), s => s.Count >= served,
            $"{served} outcomes recorded");

        // Every answered request was served; an HTTP client may resend one on a connection the
        // server had just closed, so the upstream can count more than the client saw answered.
        Assert.True(served >= report.Answered, $"served {served}, answered {report.Answered}");
        Assert.True(report.Answered > 1000, $"enough load to matter ({report.Answered})");
        Assert.Equal(served, recorded.Count);
        Assert.Equal(failed, recorded.Errors);
    }

    [Fact]
    public async Task RouteChange_IsServedByTheGateway_WithinOneSecondOfBeingStored()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("propagate", v1, "--sticky-header", "X-User");
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--stages", "10,100", "--gates", "100", "--bake", "1h", "--interval", "1h");
        var onStableAt10 = Enumerable.Range(0, 1000).Select(i => $"u{i}").First(k => StickyBucket.Of(service, k) >= 1000);
        await Poll.UntilAsync(async () => VersionOf(await GetAsync(service, stickyHeader: "X-User", key: onStableAt10)) == "v1", "at 10 %");

        // The API answers once the rollout and the deployment have stored the change.
        var promoted = await _api.PostAsync($"/api/deployments/{service}/promote?full=true", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var stored = Stopwatch.StartNew();
        while (VersionOf(await GetAsync(service, stickyHeader: "X-User", key: onStableAt10)) != "v2")
            Assert.True(stored.Elapsed < TimeSpan.FromSeconds(5), "the promotion never reached the gateway");

        Assert.True(stored.Elapsed < TimeSpan.FromSeconds(1), $"route change took {stored.Elapsed.TotalMilliseconds:0} ms to reach the gateway");
    }

    [Fact]
    public async Task BadDestination_IsRefusedNamingTo_AndNothingChanges()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        var service = await ServiceAsync("badurl", v1);

        foreach (var bad in new[] { "ftp://127.0.0.1:1", "127.0.0.1:9000", $"{v1.Url},{v1.Url}", "http://u:p@127.0.0.1:1" })
        {
            var run = await silo.AviaryAsync(ConsoleTimeout, "deploy", service, "v2", "--to", bad);
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("error: to: ", run.Stderr);
        }
        var put = await _api.PutAsJsonAsync($"/api/services/{service}", new { hosts = new[] { "Bad Host" } });
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("host", problem.GetProperty("field").GetString());
        var prefix = await _api.PutAsJsonAsync($"/api/services/{NewService("never")}", new { pathPrefix = "no-slash" });
        Assert.Equal("path-prefix", (await prefix.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var after = await _api.GetFromJsonAsync<JsonElement>($"/api/services/{service}");
        Assert.Equal("v1", after.GetProperty("stableVersion").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("canaryVersion").ValueKind);
        Assert.Equal([service], after.GetProperty("routing").GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Single(after.GetProperty("versions").EnumerateArray());
    }

    [Fact]
    public async Task RemovedService_IsNoLongerRouted()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        var service = await ServiceAsync("removed", v1);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.OK, "routed");

        await AviaryOkAsync("service", "remove", service);

        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.NotFound, "unrouted", TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/services/{service}")).StatusCode);
    }

    [Fact]
    public async Task GatewayHealthAndMetrics_AreServedUnderItsReservedPrefix_MetricsToAViewersKeyOnly()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        var service = await ServiceAsync("measured", v1);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.OK, "routed");
        var viewer = (await (await _api.PostAsJsonAsync("/api/keys", new { name = "gateway-scraper", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        async Task<HttpResponseMessage> ScrapeAsync(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_aviary/metrics");
            if (key is not null)
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return await _traffic.SendAsync(request);
        }

        var ready = await _traffic.GetFromJsonAsync<JsonElement>("/_aviary/healthz/ready");
        var anonymous = await ScrapeAsync(null);
        var wrong = await ScrapeAsync("avk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var scraped = await ScrapeAsync(viewer);
        var metrics = await scraped.Content.ReadAsStringAsync() + await _api.GetStringAsync("/metrics");
        (await _api.DeleteAsync($"/api/keys/{viewer[4..16]}")).EnsureSuccessStatusCode();
        var revoked = await ScrapeAsync(viewer);

        Assert.Equal("Healthy", ready.GetProperty("status").GetString()); // probes need no key
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Unauthorized),
            (anonymous.StatusCode, wrong.StatusCode, scraped.StatusCode, revoked.StatusCode));
        Assert.Equal("credential", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Contains($"aviary_gateway_requests{{service=\"{service}\",version=\"v1\",outcome=\"ok\"}}", metrics);
        // The gateway counts and times its requests itself; the framework's per-request meters are not exported.
        Assert.DoesNotContain("microsoft_aspnetcore_hosting_", metrics);
        Assert.DoesNotContain("microsoft_aspnetcore_server_kestrel_", metrics);
        Assert.DoesNotContain("system_net_http_", metrics);
    }

    [Fact]
    public async Task Gateway_StartsNoTraceOfItsOwn_AndForwardsTheClientsTraceContext()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        var service = await ServiceAsync("traced", v1);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.OK, "routed");
        // A client that adds no trace header of its own either.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = _traffic.BaseAddress };
        async Task<JsonElement> HeadersSeen(string? traceparent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_upstream/headers");
            request.Headers.Host = service;
            if (traceparent is not null)
                request.Headers.Add("traceparent", traceparent);
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        const string Sent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var untraced = await HeadersSeen(null);
        var traced = await HeadersSeen(Sent);

        Assert.False(untraced.TryGetProperty("traceparent", out _), "with nobody tracing, the gateway starts no activity a request");
        Assert.Equal(service, untraced.GetProperty("x-forwarded-host").GetString());
        Assert.Equal(Sent, traced.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task BlueGreen_PreviewOnly_ThenSwitchAndSwitchBack_WithoutAFailedRequest()
    {
        await using var blue = await Upstream.StartAsync("blue");
        await using var green = await Upstream.StartAsync("green");
        var service = await ServiceAsync("bluegreen", blue);
        await Poll.UntilAsync(async () => (await GetAsync(service)).StatusCode == HttpStatusCode.OK, "blue routed");

        using var stop = new CancellationTokenSource();
        var live = LoadAsync(service, 200, stop.Token);
        var preview = LoadAsync(service, 50, stop.Token, new KeyValuePair<string, string>("X-Aviary-Preview", "1"));
        await AviaryOkAsync("deploy", service, "green", "--to", green.Url, "--strategy", "blue-green",
            "--bake", "2s", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");

        // Checks pass on preview traffic alone; then the rollout waits for promote.
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{service}")).GetProperty("rollout").GetProperty("status").GetString() == "paused",
            "preview healthy, waiting for promote");
        for (var i = 0; i < 20; i++)
            Assert.Equal("blue", VersionOf(await GetAsync(service)));
        Assert.Equal("green", VersionOf(await GetAsync(service, stickyHeader: "X-Aviary-Preview", key: "1")));

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/deployments/{service}/promote", null)).StatusCode);
        await Poll.UntilAsync(async () => VersionOf(await GetAsync(service)) == "green", "switched to green", TimeSpan.FromSeconds(2));
        var switched = await _api.GetFromJsonAsync<JsonElement>($"/api/services/{service}");
        Assert.Equal("green", switched.GetProperty("stableVersion").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/deployments/{service}/undo", null)).StatusCode);
        await Poll.UntilAsync(async () => VersionOf(await GetAsync(service)) == "blue", "switched back to blue", TimeSpan.FromSeconds(2));

        await stop.CancelAsync();
        var liveReport = await live;
        var previewReport = await preview;
        Assert.True(liveReport.ByVersion.ContainsKey("blue") && liveReport.ByVersion.ContainsKey("green"), "live traffic saw both sides of the switch");
        Assert.Equal(0, liveReport.TransportErrors);
        Assert.DoesNotContain(liveReport.ByStatus.Keys, status => status >= 500);
        Assert.Equal(0, previewReport.TransportErrors);
        Assert.DoesNotContain(previewReport.ByStatus.Keys, status => status >= 500);
    }

    [Fact]
    public async Task AB_RequestsMatchingTheRule_ReachTheCandidate_ThenItTakesAllTraffic()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        var service = await ServiceAsync("abtest", v1);

        using var stop = new CancellationTokenSource();
        var beta = LoadAsync(service, 100, stop.Token, new KeyValuePair<string, string>("x-beta", "yes-please"));
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--strategy", "ab", "--match", "header:x-beta^=yes",
            "--iterations", "4", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        Assert.Equal("v2", VersionOf(await GetAsync(service, stickyHeader: "x-beta", key: "yes")));
        for (var i = 0; i < 20; i++)
            Assert.Equal("v1", VersionOf(await GetAsync(service)));

        var watch = await silo.AviaryAsync(ConsoleTimeout, "watch", service);
        await stop.CancelAsync();
        var report = await beta;

        Assert.True(watch.ExitCode == 0, $"A/B did not succeed: {watch.Stdout}{watch.Stderr}");
        Assert.True(report.ByVersion.GetValueOrDefault("v2")?.Requests > 0);
        Assert.Equal("v2", VersionOf(await GetAsync(service)));
    }

    [Fact]
    public async Task Shadow_ClientsOnlyEverGetStablesAnswers_AMatchingShadowIsPromoted()
    {
        await using var v1 = await Upstream.StartAsync("v1", sameBody: true);
        await using var v2 = await Upstream.StartAsync("v2", sameBody: true);
        var service = await ServiceAsync("shadowok", v1);

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(service, 200, stop.Token);
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--strategy", "shadow", "--auto-promote",
            "--iterations", "3", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        for (var i = 0; i < 30; i++)
        {
            using var response = await GetAsync(service);
            Assert.Equal("v1", response.Headers.GetValues("x-upstream-version").Single());
        }
        var watch = await silo.AviaryAsync(ConsoleTimeout, "watch", service);
        await stop.CancelAsync();
        var report = await load;

        Assert.True(watch.ExitCode == 0, $"shadow rollout did not succeed: {watch.Stdout}{watch.Stderr}");
        var verdicts = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{service}")).GetProperty("rollout").GetProperty("verdicts").EnumerateArray().ToList();
        // The first check may come before enough copies (inconclusive); the healthy ones judged the copies.
        var healthy = verdicts.Where(v => v.GetProperty("result").GetString() == "healthy").ToList();
        Assert.NotEmpty(healthy);
        Assert.All(healthy, v =>
        {
            var mismatch = v.GetProperty("mismatch");
            Assert.True(mismatch.GetProperty("count").GetInt64() >= 10, "copies were compared");
            Assert.Contains("mismatch rate 0.0 %", v.GetProperty("reason").GetString());
        });
        Assert.All(verdicts, v => Assert.Equal(0, v.GetProperty("mismatch").GetProperty("errors").GetInt64()));
        Assert.True((await v2.StatsAsync()).Served > 0, "the shadow received copies");
        Assert.DoesNotContain(report.ByStatus.Keys, status => status >= 500);
        Assert.Equal("v2", VersionOf(await GetAsync(service)));
    }

    [Fact]
    public async Task Shadow_AnsweringDifferently_RollsBackOnItsMismatchRate_WithoutAnyClientSeeingIt()
    {
        var service = NewService("shadowbad");
        await using var v1 = await Upstream.StartAsync("v1", sameBody: true);
        await using var v2 = await Upstream.StartAsync("v2", sameBody: false); // its bodies name its version
        await AviaryOkAsync("service", "add", service);
        await AviaryOkAsync("deploy", service, "v1", "--to", v1.Url);

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(service, 200, stop.Token);
        var run = await silo.AviaryAsync(ConsoleTimeout, "deploy", service, "v2", "--to", v2.Url, "--watch", "--strategy", "shadow",
            "--iterations", "5", "--interval", "1s", "--min-samples", "10", "--max-p95", "5s");
        await stop.CancelAsync();
        var report = await load;

        Assert.True(run.ExitCode == 3, $"expected a rollback (exit 3): {run.Stdout}{run.Stderr}");
        Assert.Contains("mismatch rate 100.0 %", run.Stdout);
        Assert.True((await v2.StatsAsync()).Served > 0);
        Assert.Equal(["v1"], report.ByVersion.Keys);
        Assert.DoesNotContain(report.ByStatus.Keys, status => status >= 500);
    }

    [Fact]
    public async Task Split_ThreeVersionsAtFixedWeights_EachAnswersItsShare_UntilEnded()
    {
        await using var v1 = await Upstream.StartAsync("v1");
        await using var v2 = await Upstream.StartAsync("v2");
        await using var v3 = await Upstream.StartAsync("v3");
        var service = await ServiceAsync("split3", v1);
        await AviaryOkAsync("deploy", service, "v2", "--to", v2.Url, "--strategy", "split", "--split-weight", "30");
        await AviaryOkAsync("split", service, "--weights", "v1=60,v2=30,v3=10", "--to", $"v3={v3.Url}");
        await Poll.UntilAsync(async () => VersionOf(await GetAsync(service, stickyHeader: "x", key: "k")) is not null, "routed");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var report = await LoadAsync(service, 1000, stop.Token);
        double Share(string v) => 100.0 * (report.ByVersion.GetValueOrDefault(v)?.Requests ?? 0) / report.Answered;
        Assert.InRange(Share("v1"), 56, 64);
        Assert.InRange(Share("v2"), 26, 34);
        Assert.InRange(Share("v3"), 7, 13);

        var refused = await silo.AviaryAsync(ConsoleTimeout, "deploy", service, "v4", "--to", v1.Url);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--end", refused.Stderr);

        await AviaryOkAsync("split", service, "--end");
        await Poll.UntilAsync(async () =>
        {
            var versions = new HashSet<string?>();
            for (var i = 0; i < 30; i++)
                versions.Add(VersionOf(await GetAsync(service)));
            return versions.SetEquals(["v1"]);
        }, "split ended: all on v1", TimeSpan.FromSeconds(5));
    }

    private static string KeyOnCanary(string service) =>
        Enumerable.Range(0, 1000).Select(i => $"probe-{i}").First(k => StickyBucket.Of(service, k) < 2500);
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Aviary.Client.Cli;
using Aviary.Harness.Orleans;
using Aviary.Gateway.Routing;
using Aviary.Harness;
using Aviary.Metrics;

namespace Aviary.Bench;

/// <summary>
/// The gateway against its baselines, all in one run on this machine and all proxying to the same
/// upstream process: the upstream reached directly, plain YARP (no Aviary code), nginx from
/// Debian with a split_clients canary of the same weight, the standalone Aviary gateway and the
/// one inside the silo (both with a 10 % canary). Then latency at half the gateway's maximum rate,
/// outcome accounting at the maximum rate, and route-change propagation to 1 and 3 gateways.
/// </summary>
public static class GatewayBench
{
    private const string Service = "bench";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        await using var upstream = await Upstream.StartAsync("v1", sameBody: true);
        await using var silo = await EmbeddedSilo.StartAsync();
        using var api = silo.Api();
        await AddServiceAsync(api, Service, upstream.Url, canaryAt10: true);
        await using var gateway = await GatewayProcess.StartAsync(silo.Gateway);
        await using var yarp = await StartPlainYarpAsync(upstream.Url);
        using var nginx = await Nginx.StartAsync(upstream.Url);

        (string Name, Uri Url)[] targets =
        [
            ("upstream, direct", new Uri(upstream.Url)),
            ("plain YARP (no Aviary code)", yarp.Url),
            ("nginx, split_clients 10 %", nginx.Url),
            ("Aviary gateway, standalone (10 % canary)", gateway.Traffic),
            ("Aviary gateway, in the silo (10 % canary)", silo.Traffic),
        ];
        foreach (var (_, url) in targets)
            await WaitRoutedAsync(url, Service);
        // Warm-up: connections, and the JIT's tiers (tiered PGO recompiles the hot path after it has
        // run a while; a short warm-up left the first round well below the others).
        foreach (var (_, url) in targets)
            await LoadTool.WrkAsync(url, Service, 64, TimeSpan.FromSeconds(quick ? 2 : 8));

        // wrk, the upstream and the proxy share two cores: a run's figure moves with the machine.
        // Each target is measured in several rounds, interleaved, and the median round is shown.
        var rounds = quick ? 1 : 5;
        var runs = new Dictionary<(string, int), List<LoadTool.Result>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var connections in new[] { 16, 64 })
            {
                foreach (var (name, url) in targets)
                {
                    var r = await LoadTool.WrkAsync(url, Service, connections, duration);
                    (runs.TryGetValue((name, connections), out var list) ? list : runs[(name, connections)] = []).Add(r);
                }
            }
        }
        var results = runs.ToDictionary(r => r.Key, r => r.Value.OrderBy(x => x.RequestsPerSecond).ElementAt(r.Value.Count / 2));
        Console.WriteLine($"## Gateway throughput (wrk -t2, {duration.TotalSeconds:0} s per run, median of {rounds} interleaved rounds, GET / through each to the same upstream)");
        Console.WriteLine("| target | connections | requests/s (median) | all rounds | p50 | p99 | non-2xx |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|");
        foreach (var connections in new[] { 16, 64 })
        {
            foreach (var (name, _) in targets)
            {
                var r = results[(name, connections)];
                var all = string.Join(" / ", runs[(name, connections)].Select(x => x.RequestsPerSecond.ToString("N0", Invariant)));
                Console.WriteLine(string.Create(Invariant, $"| {name} | {connections} | {r.RequestsPerSecond:N0} | {all} | {r.P50Ms:0.00} ms | {r.P99Ms:0.00} ms | {r.Non2xx} |"));
            }
        }
        Console.WriteLine();
        // A ratio of medians, and the median of each round's own ratio (the two targets measured
        // within a minute of each other, so a slow spell of the machine touches both).
        Console.WriteLine("| ratio (requests/s) | 16 connections | per round | 64 connections | per round |");
        Console.WriteLine("|---|---:|---|---:|---|");
        foreach (var (label, of, to) in new[]
        {
            ("Aviary standalone / plain YARP", targets[3].Name, targets[1].Name),
            ("Aviary in the silo / plain YARP", targets[4].Name, targets[1].Name),
            ("Aviary standalone / nginx", targets[3].Name, targets[2].Name),
            ("plain YARP / upstream direct", targets[1].Name, targets[0].Name),
        })
        {
            string Cells(int connections)
            {
                var perRound = runs[(of, connections)].Zip(runs[(to, connections)], (a, b) => a.RequestsPerSecond / b.RequestsPerSecond).ToList();
                var median = perRound.Order().ElementAt(perRound.Count / 2);
                return string.Create(Invariant,
                    $"{results[(of, connections)].RequestsPerSecond / results[(to, connections)].RequestsPerSecond:0.00} | {string.Join(" / ", perRound.Select(r => r.ToString("0.00", Invariant)))} (median {median:0.00})");
            }
            Console.WriteLine($"| {label} | {Cells(16)} | {Cells(64)} |");
        }
        Console.WriteLine();

        var half = Math.Max(results[(targets[3].Name, 64)].RequestsPerSecond, results[(targets[4].Name, 64)].RequestsPerSecond) / 2;
        var halfRounds = quick ? 1 : 3;
        Console.WriteLine(string.Create(Invariant, $"## Latency at half the gateway's maximum rate (hey, {half:N0} requests/s fixed rate, 32 connections, {duration.TotalSeconds:0} s, median of {halfRounds} interleaved rounds)"));
        // CPU per request of the process in front (at the same fixed rate) is steadier than a
        // throughput ratio on two shared cores: it says what the Aviary code itself costs.
        Console.WriteLine("| target | achieved requests/s | p50 | p99 | p99 of each round | p99 added over plain YARP | CPU per request of the proxy process | non-200 |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
        var processes = new Dictionary<string, int>
        {
            [targets[0].Name] = upstream.Process.Id,
            [targets[1].Name] = yarp.Process.Id,
            [targets[3].Name] = gateway.Process.Id,
            [targets[4].Name] = silo.Process.Id,
        };
        var atHalf = new Dictionary<string, List<(LoadTool.Result Load, double CpuMicroseconds)>>();
        for (var round = 0; round < halfRounds; round++)
        {
            foreach (var (name, url) in new[] { targets[0], targets[1], targets[3], targets[4] })
            {
                var cpuBefore = Process.GetProcessById(processes[name]).TotalProcessorTime;
                var r = await LoadTool.HeyAsync(url, Service, 32, half, duration);
                var cpu = Process.GetProcessById(processes[name]).TotalProcessorTime - cpuBefore;
                (atHalf.TryGetValue(name, out var list) ? list : atHalf[name] = []).Add((r, cpu.TotalMicroseconds / (r.RequestsPerSecond * duration.TotalSeconds)));
            }
        }
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        var baselineP99 = Median(atHalf[targets[1].Name].Select(x => x.Load.P99Ms));
        foreach (var (name, _) in new[] { targets[0], targets[1], targets[3], targets[4] })
        {
            var all = atHalf[name];
            var p99 = Median(all.Select(x => x.Load.P99Ms));
            var added = name != targets[0].Name ? $"{p99 - baselineP99:+0.00;-0.00} ms" : "-";
            var each = string.Join(" / ", all.Select(x => x.Load.P99Ms.ToString("0.0", Invariant)));
            Console.WriteLine(string.Create(Invariant,
                $"| {name} | {Median(all.Select(x => x.Load.RequestsPerSecond)):N0} | {Median(all.Select(x => x.Load.P50Ms)):0.00} ms | {p99:0.00} ms | {each} | {added} | {Median(all.Select(x => x.CpuMicroseconds)):0} µs | {all.Sum(x => x.Load.Non2xx)} |"));
        }
        Console.WriteLine();

        await using (var counted = await Upstream.StartAsync("v1", sameBody: true))
            await AccountingAsync(silo, api, counted, gateway, duration);
        await PropagationAsync(silo, api, upstream, gateway, quick);
    }

    /// <summary>At the maximum rate, every request the upstream served is a sample in the metrics grain.</summary>
    private static async Task AccountingAsync(EmbeddedSilo silo, HttpClient api, Upstream upstream, GatewayProcess gateway, TimeSpan duration)
    {
        const string counted = "bench-count";
        await using var connection = await ClusterConnection.ConnectAsync(
            ClusterConnection.Target.FromGateways(GatewayAddress.ResolveList(silo.Gateway), silo.Gateway),
            new ClusterIdentity(ClusterIdentity.DefaultClusterId, ClusterIdentity.DefaultServiceId), CancellationToken.None);
        var metrics = connection.Client.GetGrain<IServiceMetricsGrain>(counted);
        await metrics.GetSnapshotAsync("v1", TimeSpan.FromMinutes(30)); // keep every sample of the run
        await AddServiceAsync(api, counted, upstream.Url, canaryAt10: false);
        await WaitRoutedAsync(gateway.Traffic, counted);

        // This upstream serves this service only, through this gateway only: every request it
        // served (the probe above included) must be a sample.
        var run = await LoadTool.WrkAsync(gateway.Traffic, counted, 64, duration);
        var served = (await upstream.StatsAsync()).Served;
        var wait = Stopwatch.StartNew();
        long recorded;
        while ((recorded = (await metrics.GetSnapshotAsync("v1", TimeSpan.FromMinutes(30))).Count) < served && wait.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(100);
        Console.WriteLine("## Outcome accounting at the maximum rate (standalone gateway, wrk 64 connections)");
        Console.WriteLine("| requests/s | served by the upstream | samples recorded | lost |");
        Console.WriteLine("|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(Invariant, $"| {run.RequestsPerSecond:N0} | {served:N0} | {recorded:N0} | {served - recorded:N0} |"));
        Console.WriteLine();
    }

    /// <summary>From the API's answer (the change is stored) until a gateway routes by it.</summary>
    private static async Task PropagationAsync(EmbeddedSilo silo, HttpClient api, Upstream upstream, GatewayProcess first, bool quick)
    {
        const string service = "bench-prop";
        await using var second = await GatewayProcess.StartAsync(silo.Gateway);
        await using var third = await GatewayProcess.StartAsync(silo.Gateway);
        var standalone = new[] { first.Traffic, second.Traffic, third.Traffic };
        (await api.PutAsJsonAsync($"/api/services/{service}", new { hosts = new[] { service }, stickyHeader = "x-user" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/deployments/{service}/versions/v1", new { to = new[] { upstream.Url } })).EnsureSuccessStatusCode();
        var key = Enumerable.Range(0, 1000).Select(i => $"u{i}").First(k => StickyBucket.Of(service, k) < 1000);
        using var http = new HttpClient();
        foreach (var url in standalone.Append(silo.Traffic))
            await UntilVersionAsync(http, url, service, key, "v1");

        var toOne = new List<double>();
        var toThree = new List<double>();
        var changes = quick ? 10 : 50;
        for (var i = 0; i < changes; i++)
        {
            foreach (var (change, expected) in new[] { ("deploy", "v2"), ("abort", "v1") })
            {
                var response = change == "deploy"
                    ? await api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { to = new[] { upstream.Url }, stages = new[] { 10, 100 }, gates = new[] { 100 }, bake = "01:00:00", interval = "01:00:00" })
                    : await api.PostAsync($"/api/deployments/{service}/abort?reason=bench", null);
                response.EnsureSuccessStatusCode();
                var stored = Stopwatch.StartNew();
                var all = await Task.WhenAll(standalone.Append(silo.Traffic).Select(async url =>
                {
                    await UntilVersionAsync(http, url, service, key, expected);
                    return stored.Elapsed.TotalMilliseconds;
                }));
                toOne.Add(all[^1]);
                toThree.Add(all[..3].Max());
            }
        }
        Console.WriteLine($"## Route-change propagation ({toOne.Count} changes: a deploy to 10 % and its abort, alternately; from the API's answer, when the change is stored, to the gateway routing by it)");
        Console.WriteLine("| gateways | p50 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(Invariant, $"| 1 (in the silo) | {Measure.Percentile(toOne, 0.5):0.0} ms | {Measure.Percentile(toOne, 0.99):0.0} ms | {toOne.Max():0.0} ms |"));
        Console.WriteLine(string.Create(Invariant, $"| 3 (standalone processes, the last of the three) | {Measure.Percentile(toThree, 0.5):0.0} ms | {Measure.Percentile(toThree, 0.99):0.0} ms | {toThree.Max():0.0} ms |"));
        Console.WriteLine();
    }

    private static async Task UntilVersionAsync(HttpClient http, Uri gateway, string service, string key, string version)
    {
        var limit = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, gateway);
            request.Headers.Host = service;
            request.Headers.Add("x-user", key);
            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("x-aviary-version", out var values) && values.Single() == version)
                return;
            if (limit.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"{gateway} never routed {service} to {version}");
        }
    }

    private static async Task AddServiceAsync(HttpClient api, string service, string upstream, bool canaryAt10)
    {
        (await api.PutAsJsonAsync($"/api/services/{service}", new { hosts = new[] { service } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/deployments/{service}/versions/v1", new { to = new[] { upstream } })).EnsureSuccessStatusCode();
        if (canaryAt10)
        {
            (await api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2",
                new { to = new[] { upstream }, stages = new[] { 10, 100 }, gates = new[] { 100 }, bake = "01:00:00", interval = "01:00:00" })).EnsureSuccessStatusCode();
        }
    }

    private static async Task WaitRoutedAsync(Uri url, string host)
    {
        using var http = new HttpClient();
        var limit = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Host = host;
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (limit.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"{url} never answered for {host}");
            await Task.Delay(50);
        }
    }

    private static async Task<PlainYarpProcess> StartPlainYarpAsync(string upstream)
    {
        var port = FreePorts.Take(1)[0];
        var process = ProcessRun.Start(typeof(GatewayBench).Assembly.Location, ["plain-yarp", port.ToString(Invariant), upstream]);
        await process.WaitForLineAsync("plain-yarp listening", TimeSpan.FromSeconds(30));
        return new PlainYarpProcess(process, new Uri($"http://127.0.0.1:{port}"));
    }

    private sealed record PlainYarpProcess(ProcessRun Process, Uri Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}

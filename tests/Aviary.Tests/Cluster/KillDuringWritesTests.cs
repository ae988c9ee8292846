using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Tests.EndToEnd;

namespace Aviary.Tests.Cluster;

/// <summary>
/// A real embedded silo process, killed with SIGKILL while many grains write at once (services
/// registered, workflow runs started and half-way through their chains), and started again on its
/// file: everything the API acknowledged before the kill is there, with either durability setting.
/// (A killed process loses nothing the operating system already holds, so <c>process</c> must pass
/// this as <c>full</c> does; what only <c>full</c> survives, a power loss, no test here can cause.)
/// </summary>
public sealed class KillDuringWritesTests
{
    private static readonly string[] Unthrottled = ["--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000"];

    [Theory]
    [InlineData("full")]
    [InlineData("process")]
    public async Task SiloKilledMidWrites_RestartsWithEveryAcknowledgedWrite(string durability)
    {
        string[] settings = ["--durability", durability, .. Unthrottled];
        var silo = await EmbeddedSilo.StartAsync(settings);
        var services = new ConcurrentBag<string>();
        var runs = new ConcurrentBag<string>();
        string data;
        try
        {
            var api = silo.Api();
            using var stop = new CancellationTokenSource();
            // Sixteen writers at once, so commits carry many grains' writes when the kill lands.
            var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        if (w % 2 == 0)
                        {
                            var name = $"svc-{w}-{i}";
                            var put = await api.PutAsJsonAsync($"/api/services/{name}", new { hosts = new[] { $"{name}.test" } });
                            if (put.IsSuccessStatusCode)
                                services.Add(name);
                        }
                        else
                        {
                            var run = $"kill-{w}-{i}";
                            var started = await api.PostAsync($"/api/workflows/{run}", ApiBodies.Yaml(Chain(run)));
                            if (started.StatusCode == HttpStatusCode.Created)
                                runs.Add(run);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the silo is gone
                    }
                }
            })).ToArray();
            await Poll.UntilAsync(() => Task.FromResult(services.Count >= 100 && runs.Count >= 100), "a hundred services and runs acknowledged");
            silo.Process.Signal(kill: true);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            data = silo.DataDirectory;
        }
        finally
        {
            await silo.StopKeepingDataAsync();
        }

        await using var restarted = await EmbeddedSilo.StartInAsync(data, settings);
        var again = restarted.Api();
        var listed = (await again.GetFromJsonAsync<JsonElement>("/api/services")).EnumerateArray().Select(s => s.GetProperty("service").GetString()).ToHashSet();
        Assert.DoesNotContain(services, s => !listed.Contains(s));
        foreach (var run in runs)
        {
            // Each acknowledged run is stored with its plan, and goes on from where it was to the end.
            var done = await Poll.UntilAsync(async () => await again.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}"),
                r => r.GetProperty("status").GetString() != "running", $"run {run} ended after the restart");
            Assert.Equal("succeeded", done.GetProperty("status").GetString());
        }
    }

    /// <summary>Five steps of 100 ms: a run is half-way through when the kill lands.</summary>
    private static string Chain(string run) =>
        "name: chain\ntasks:\n" + string.Join("", Enumerable.Range(0, 5).Select(i =>
            $"  - id: s{i}\n    agent: simulated\n    input: {{ delayMs: \"100\", run: {run}, step: \"{i}\" }}\n" + (i > 0 ? $"    dependsOn: [s{i - 1}]\n" : "")));
}

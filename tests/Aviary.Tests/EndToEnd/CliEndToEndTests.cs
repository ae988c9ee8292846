using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>The real silo process driven by the real <c>aviary</c> executable: what a CI pipeline does.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class CliEndToEndTests(SiloProcessFixture silo)
{
    private static readonly TimeSpan Command = TimeSpan.FromSeconds(60);

    // Fast stages; early checks without traffic are inconclusive (never healthy) rather than pausing.
    private static readonly string[] FastPolicy =
        ["--stages", "50,100", "--bake", "1s", "--interval", "500ms", "--min-samples", "5", "--inconclusive-limit", "100"];

    [Fact]
    public async Task DeployWatch_HealthyCanarySucceeds_Exit0_ThenBadCanaryRollsBack_Exit3()
    {
        const string service = "e2e-shop";
        var v1 = await silo.AviaryAsync(Command, "deploy", service, "v1");
        Assert.True(v1.ExitCode == 0, v1.Stderr);
        Assert.Contains("e2e-shop v1 is stable", v1.Stdout);

        await using (var traffic = silo.StartAviary("simulate", service, "--version", "v2", "--rps", "200", "--error-rate", "0", "--p95", "20ms", "--duration", "2m"))
        {
            var good = await silo.AviaryAsync(Command, ["deploy", service, "v2", "--watch", .. FastPolicy]);
            Assert.True(good.ExitCode == 0, $"exit {good.ExitCode}\n{good.Stdout}\n{good.Stderr}");
            Assert.Contains("canary at 100 %", good.Stdout);
            Assert.Contains("Succeeded", good.Stdout);
        }

        await using (var traffic = silo.StartAviary("simulate", service, "--version", "v3", "--rps", "200", "--error-rate", "0.5", "--p95", "20ms", "--duration", "2m"))
        {
            var bad = await silo.AviaryAsync(Command, ["deploy", service, "v3", "--watch", .. FastPolicy]);
            Assert.True(bad.ExitCode == 3, $"exit {bad.ExitCode}\n{bad.Stdout}\n{bad.Stderr}");
            Assert.Contains("rolled back: error rate", bad.Stdout);
        }

        var status = await silo.AviaryAsync(Command, "status", service, "--output", "json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        var deployment = json.RootElement.GetProperty("deployment");
        Assert.Equal("v2", deployment.GetProperty("stableVersion").GetString());
        Assert.Equal("rolledBack", json.RootElement.GetProperty("rollout").GetProperty("status").GetString());

        var history = await silo.AviaryAsync(Command, "history", service, "--output", "json");
        using var releases = JsonDocument.Parse(history.Stdout);
        Assert.Equal(["initial", "succeeded", "rolledBack"],
            releases.RootElement.EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
    }

    [Theory]
    [InlineData(new[] { "deploy", "e2e-bad", "v2", "--stages", "10,50,25,100" }, "error: stages: weights must rise strictly (50 then 25)")]
    [InlineData(new[] { "deploy", "e2e-bad", "v2", "--stages", "10,50" }, "error: stages: must end at 100 (ends at 50)")]
    [InlineData(new[] { "deploy", "e2e-bad", "v2", "--max-error-rate", "1.5" }, "error: max-error-rate: must be between 0 and 1")]
    [InlineData(new[] { "deploy", "e2e-bad", "v2", "--interval", "-5s" }, "error: interval: must be a duration such as 200ms, 30s, 5m or 1h (got '-5s')")]
    [InlineData(new[] { "promote", "e2e-unknown" }, "error: service: no deployment named 'e2e-unknown'")]
    [InlineData(new[] { "abort", "e2e-unknown" }, "error: service: no deployment named 'e2e-unknown'")]
    public async Task BadInput_Exit1_WithOneLineNamingFieldAndRule(string[] args, string expected)
    {
        var run = await silo.AviaryAsync(Command, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Stderr.TrimEnd());
        var list = await silo.AviaryAsync(Command, "status", "--output", "json");
        Assert.DoesNotContain("e2e-bad", list.Stdout);
        Assert.DoesNotContain("e2e-unknown", list.Stdout);
    }

    [Fact]
    public async Task UnreachableServer_Exit2()
    {
        var port = FreePorts.Take(1)[0];

        var run = await ProcessRun.RunAsync(RepoPaths.ClientDll, Command, "status", "--server", $"http://127.0.0.1:{port}", "--token", "avk_000000000000_x");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: server: cannot reach an Aviary silo at http://127.0.0.1:{port}", run.Stderr.TrimEnd());
    }
}

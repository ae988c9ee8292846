using System.Text.Json;
using Aviary.Tests.EndToEnd;

namespace Aviary.Tests.Models;

/// <summary>
/// <c>aviary demo ml</c> end to end on real processes: the silo (with its gateway), a model server
/// process the console starts, real prediction requests through the gateway and labels after
/// them. Drift must retrain, v2 must go out shadow first and become champion, and the bad v3 must
/// roll back on its live quality.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class MlDemoTests(SiloProcessFixture silo)
{
    [Fact]
    public async Task DemoMl_DriftRetrainsToANewChampion_AndABadVersionRollsBack()
    {
        var (exit, stdout, stderr) = await silo.AviaryAsync(TimeSpan.FromMinutes(8), "demo", "ml", "--model", "demo-houses", "--url", silo.Traffic.ToString(), "--output", "json");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}\n{stdout}");
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal("v2", result.GetProperty("champion").GetString());
        var kinds = result.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("by").GetString() == "aviary:model-monitor")
            .Select(e => $"{e.GetProperty("kind").GetString()} {e.GetProperty("version").GetString()}")
            .ToList();
        Assert.Equal(["driftDetected v1", "retrainStarted v1", "registered v2", "rolloutStarted v2", "aliasSet v2", "promoted v2", "rolledBack v3"], kinds);
        var requests = result.GetProperty("requests");
        Assert.True(requests.GetProperty("v2").GetInt64() > 0 && requests.GetProperty("v3").GetInt64() > 0, requests.ToString());
        Assert.Equal(0, result.GetProperty("failed").GetInt64());

        // The rollout of v2 went through its shadow stage before any client got its answers.
        using var api = silo.Api();
        var releases = JsonDocument.Parse(await api.GetStringAsync("/api/deployments/demo-houses")).RootElement.GetProperty("deployment").GetProperty("releases");
        var id = releases.EnumerateArray().Single(r => r.GetProperty("version").GetString() == "v2").GetProperty("rolloutId").GetString()!;
        var rollout = JsonDocument.Parse(await api.GetStringAsync($"/api/deployments/{id.Replace("/", "/rollouts/")}")).RootElement;
        Assert.Equal("v2", rollout.GetProperty("version").GetString());
        Assert.StartsWith("shadow stage", rollout.GetProperty("transitions")[0].GetProperty("message").GetString());
        Assert.Equal("succeeded", rollout.GetProperty("status").GetString());
    }
}

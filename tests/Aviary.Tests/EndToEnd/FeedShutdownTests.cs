namespace Aviary.Tests.EndToEnd;

/// <summary>A silo asked to stop (SIGTERM) with live feeds open ends them at once, saying why, and stops well within its shutdown budget.</summary>
public sealed class FeedShutdownTests
{
    [Fact]
    public async Task OpenFeeds_EndWithAShutdownNotice_AndDoNotHoldTheSiloUp()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        await using var sse = await FeedClient.SseAsync(silo.Http, silo.AdminKey, "kind=agent");
        await using var ws = await FeedClient.WebSocketAsync(silo.Http, silo.AdminKey, "kind=agent");
        await sse.SnapshotAsync();
        await ws.SnapshotAsync();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        silo.Process.Signal(kill: false);
        var exit = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), "the silo's graceful stop");
        stopping.Stop();
        await sse.EndedAsync(TimeSpan.FromSeconds(5));
        await ws.EndedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, exit);
        // Well under the 45 s budget an open request would otherwise use up (the silo leaves the cluster in it).
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopped in {stopping.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(sse.Seen, l => l.Type == "dropped" && l.Data.GetProperty("reason").GetString() == "shutdown");
        Assert.Contains(ws.Seen, l => l.Type == "dropped" && l.Data.GetProperty("reason").GetString() == "shutdown");
    }
}

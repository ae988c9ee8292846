using Aviary.Deployments;
using Aviary.Rollouts;
using Aviary.Harness;
using Xunit.Abstractions;

namespace Aviary.Tests.Failover;

/// <summary>
/// The real <c>aviary watch</c> follows a rollout while the silo holding it leaves (SIGTERM) or
/// dies (SIGKILL): the console keeps following through another gateway, shows no error, and exits
/// 0 when the rollout succeeds.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class GracefulLeaveTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WatchedRollout_HostLeavesOrDies_WatchSeesItThroughWithoutError(bool kill)
    {
        await using var cluster = await ClusterTests.StartAsync(3);
        var service = $"leave-{Guid.NewGuid():N}"[..18];
        var ops = new RolloutOperations(cluster.Client);
        await ops.DeployAsync(service, "v1", FailoverScenario.Policy);
        var started = await ops.DeployAsync(service, "v2", FailoverScenario.Policy);
        await using var recorder = new RolloutRecorder(cluster.Client, service, started.Rollout!.RolloutId);
        var victim = await cluster.HostOfAsync(cluster.Client.GetGrain<IRolloutGrain>(started.Rollout.RolloutId));
        var other = cluster.Members.First(m => m != victim);

        // The console knows the victim's API and one other, as a list.
        await using var watch = ProcessRun.Start(RepoPaths.ClientDll,
            ["watch", service, "--server", $"{victim.Server},{other.Server}", "--token", cluster.AdminKey]);
        await watch.WaitForLineAsync("watching", TimeSpan.FromSeconds(30));
        // Past stage 1 and still running (a slow console start may have let stage 2 go by).
        await recorder.WaitForAsync(v => v.StageIndex >= 1 && v.Status == RolloutStatus.Progressing, TimeSpan.FromSeconds(60), "stage 2 or later");

        if (kill)
        {
            await cluster.KillAsync(victim);
        }
        else
        {
            var exit = await cluster.TerminateAsync(victim);
            Assert.Equal(0, exit); // it left gracefully, not by timing out
            Assert.Contains("Application is shutting down", victim.Process.Stdout);
        }
        output.WriteLine($"{(kill ? "killed" : "terminated")} {victim}");

        var code = await watch.WaitForExitAsync(TimeSpan.FromSeconds(120), "aviary watch");
        output.WriteLine(watch.Stdout);
        Assert.True(code == 0, $"watch exited {code}\nstdout:\n{watch.Stdout}\nstderr:\n{watch.Stderr}");
        Assert.Equal("", watch.Stderr.Trim());
        Assert.Contains("succeeded", watch.Stdout, StringComparison.OrdinalIgnoreCase);
        // The console saw the end; the recorder polls every 100 ms and may not have yet.
        var final = await recorder.WaitForAsync(v => v.Status != RolloutStatus.Progressing, TimeSpan.FromSeconds(10), "the end");
        Assert.Equal(RolloutStatus.Succeeded, final.Status);
        Assert.Equal([1, 2, 3, 4], final.Transitions.Where(t => t.Kind == RolloutEventKind.StageAdvanced).Select(t => t.StageIndex));
    }
}

using Aviary.Deployments;
using Aviary.Harness;
using Aviary.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Cluster;

public sealed class DurabilityTests : IDisposable
{
    private static readonly RolloutPolicy Policy = new()
    {
        BakeTime = TimeSpan.FromSeconds(30),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
    };

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("aviary-durability-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Restart_InMiddleOfStage2_ContinuesStage2WithServedBakeCountedAndFinishes()
    {
        const string service = "durable";
        var t0 = _time.GetUtcNow();
        string rolloutId;

        // First life: walk to stage 2 (25 %) and serve 20 of its 30 s of bake.
        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            var ops = new RolloutOperations(first.Client);
            var driver = new RolloutDriver(first.Client, _time, service, Policy);
            await using var probe = await EventProbe.SubscribeAsync(first.Client, service);
            await ops.DeployAsync(service, "v1", Policy);
            rolloutId = (await ops.DeployAsync(service, "v2", Policy)).Rollout!.RolloutId;
            for (var check = 1; check <= 5; check++)
            {
                await driver.FeedAsync("v2", 50, 0, 30);
                await driver.CheckAsync(probe, check);
            }
            var advanced = await probe.WaitForAsync(RolloutEventKind.StageAdvanced, phase: "first life");
            Assert.Equal(t0 + TimeSpan.FromSeconds(30), advanced.At);
            var beforeStop = await ops.GetLatestRolloutAsync(service);
            Assert.Equal(1, beforeStop!.StageIndex);
            Assert.Equal(TimeSpan.FromSeconds(10), beforeStop.BakeRemaining);
            Assert.Contains(rolloutId, await Aviary.Grains.Rollouts.RolloutKeeperGrain.For(first.Client, rolloutId).ListAsync());
            await first.StopAllSilosAsync();
        }

        // Second life on the same file: nobody calls the rollout; its keeper's reminder wakes it.
        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        var ops2 = new RolloutOperations(second.Client);
        var driver2 = new RolloutDriver(second.Client, _time, service, Policy);
        await using var probe2 = await EventProbe.SubscribeAsync(second.Client, service);
        await driver2.FeedAsync("v2", 50, 0, 30);
        // A check that changed nothing is not stored, so the one at 50 s is owed and runs as soon as
        // the keeper wakes the rollout: maybe before probe2 subscribed. Wait for the wake without
        // calling the rollout, then read the check from its state.
        var rollout = second.Client.GetGrain<IRolloutGrain>(rolloutId);
        await second.WaitUntilWokenAsync(rollout, "the rollout");
        var resumed = await Poll.UntilAsync(rollout.GetAsync, v => v.Verdicts.Any(c => c.At == t0 + TimeSpan.FromSeconds(50)), "the first check after restart (keeper-driven)");
        Assert.Equal(1, resumed.Verdicts.Single(c => c.At == t0 + TimeSpan.FromSeconds(50)).StageIndex);

        // 10 s later the 30 s bake of stage 2 is served: it advances now, not 30 s from the restart.
        await driver2.FeedAsync("v2", 50, 0, 30);
        _time.Advance(Policy.CheckInterval);
        var next = await probe2.WaitForAsync(RolloutEventKind.StageAdvanced, 1, "stage 3 after restart");
        Assert.Equal(2, next.StageIndex);
        Assert.Equal(t0 + TimeSpan.FromSeconds(60), next.At);

        for (var check = 3; check <= 8; check++)
        {
            await driver2.FeedAsync("v2", 50, 0, 30);
            await driver2.CheckAtNextIntervalAsync(probe2);
        }
        await probe2.WaitForAsync(RolloutEventKind.Succeeded, phase: "second life");

        var ended = await rollout.GetAsync();
        Assert.Equal(RolloutStatus.Succeeded, ended.Status);
        Assert.Equal(
            [
                (RolloutEventKind.Started, 0, 0),
                (RolloutEventKind.StageAdvanced, 1, 30),
                (RolloutEventKind.StageAdvanced, 2, 60),
                (RolloutEventKind.StageAdvanced, 3, 90),
                (RolloutEventKind.StageAdvanced, 4, 120),
                (RolloutEventKind.Succeeded, 4, 120),
            ],
            ended.Transitions.Select(t => (t.Kind, t.StageIndex, (int)(t.At - t0).TotalSeconds)));
        var deployment = await ops2.GetDeploymentAsync(service);
        Assert.Equal("v2", deployment.StableVersion);
        Assert.Null(deployment.ActiveRolloutId);
        // Ended and in line with its deployment: nothing left to wake.
        Assert.DoesNotContain(rolloutId, await Aviary.Grains.Rollouts.RolloutKeeperGrain.For(second.Client, rolloutId).ListAsync());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may linger a moment; the temp folder is left to the OS.
        }
    }
}

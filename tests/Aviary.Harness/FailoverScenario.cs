using Aviary.Deployments;
using Aviary.Rollouts;

namespace Aviary.Harness;

/// <summary>
/// One rollout-failover trial on a <see cref="SiloCluster"/>: a rollout reaches stage 2, the silo
/// holding it is killed (SIGKILL) at a chosen moment, and the rollout is followed to its end.
/// <see cref="Problems"/> lists what went wrong (nothing, when the rollout continued on a survivor
/// at the same stage with its served bake time counted). Shared by the tests and the soak bench.
/// </summary>
public static class FailoverScenario
{
    public static readonly RolloutPolicy Policy = new()
    {
        Stages = [10, 25, 50, 75, 100],
        BakeTime = TimeSpan.FromSeconds(5),
        CheckInterval = TimeSpan.FromSeconds(1),
        MinSamples = 1,
        MaxErrorRate = 0.5,
        FailureLimit = 3,
        InconclusiveLimit = 1_000, // checks while the metrics grain moves must not pause the rollout
    };

    public enum KillMoment
    {
        /// <summary>Two and a half seconds into stage 2.</summary>
        MidStage,
        /// <summary>As soon as stage 2 is seen.</summary>
        RightAfterStageChange,
        /// <summary>At the instant stage 2's next health check is due.</summary>
        AtCheck,
    }

    public sealed record Result(
        KillMoment Moment,
        RolloutView Final,
        DeploymentView Deployment,
        DateTimeOffset KilledAt,
        DateTimeOffset Stage2StartedAt,
        DateTimeOffset? FirstCheckAfterKill,
        string Killed)
    {
        /// <summary>From the SIGKILL to the rollout's next health check, on a survivor.</summary>
        public TimeSpan? CheckGap => FirstCheckAfterKill - KilledAt;
    }

    public static async Task<Result> RunAsync(SiloCluster cluster, KillMoment moment, Action<string>? log = null)
    {
        var service = $"failover-{Guid.NewGuid():N}"[..20];
        var ops = new RolloutOperations(cluster.Client);
        await ops.DeployAsync(service, "v1", Policy);
        var started = await ops.DeployAsync(service, "v2", Policy);
        var rolloutId = started.Rollout!.RolloutId;
        await using var recorder = new RolloutRecorder(cluster.Client, service, rolloutId);

        var stage2 = await recorder.WaitForAsync(v => v.StageIndex == 1, TimeSpan.FromSeconds(60), "stage 2");
        switch (moment)
        {
            case KillMoment.MidStage:
                await recorder.WaitForAsync(v => v.StageIndex == 1 && v.Now - v.StageStartedAt >= TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(30), "2.5 s into stage 2");
                break;
            case KillMoment.AtCheck:
                var view = await recorder.WaitForAsync(v => v.StageIndex == 1 && v.NextCheckAt is not null && v.Now - v.StageStartedAt >= TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), "a check due in stage 2");
                var due = view.NextCheckAt!.Value - DateTimeOffset.UtcNow;
                if (due > TimeSpan.Zero)
                    await Task.Delay(due); // fault injection timed to the due check, not a wait for an outcome
                break;
        }

        var victim = await cluster.HostOfAsync(cluster.Client.GetGrain<IRolloutGrain>(rolloutId));
        var killedAt = DateTimeOffset.UtcNow;
        await cluster.KillAsync(victim);
        log?.Invoke($"{moment}: killed {victim} at {killedAt:HH:mm:ss.fff}, {(killedAt - stage2.StageStartedAt).TotalSeconds:0.000} s into stage 2");

        var final = await recorder.WaitForAsync(v => v.Status.IsFinal(), TimeSpan.FromSeconds(120), "the end of the rollout");
        var deployment = await ops.GetDeploymentAsync(service);
        var firstAfter = recorder.VerdictTimes.Where(t => t > killedAt).Cast<DateTimeOffset?>().FirstOrDefault();
        var result = new Result(moment, final, deployment, killedAt, stage2.StageStartedAt, firstAfter, victim.ToString());
        log?.Invoke($"{moment}: first check after the kill {result.CheckGap?.TotalSeconds:0.000} s later; {RolloutRecorder.Describe(final)}");
        return result;
    }

    /// <summary>What contradicts "same stage after the kill, served bake counted, no stage skipped or repeated, ended well".</summary>
    public static List<string> Problems(Result r)
    {
        var problems = new List<string>();
        var final = r.Final;
        if (final.Status != RolloutStatus.Succeeded)
            problems.Add($"ended {RolloutRecorder.Describe(final)}");
        if (r.Deployment.StableVersion != "v2")
            problems.Add($"stable version is {r.Deployment.StableVersion}, not v2");

        var advances = final.Transitions.Where(t => t.Kind == RolloutEventKind.StageAdvanced).ToArray();
        if (!advances.Select(t => t.StageIndex).SequenceEqual([1, 2, 3, 4]))
            problems.Add($"stages entered: {string.Join(", ", advances.Select(t => t.StageIndex + 1))} (each of 2..5 once, in order, expected)");
        if (final.Transitions.Count(t => t.Kind == RolloutEventKind.Succeeded) != 1)
            problems.Add("not exactly one Succeeded transition");
        if (advances.Length < 2)
            return problems;

        var stage2Start = advances[0].At;
        var stage3Start = advances[1].At;
        if (stage2Start != r.Stage2StartedAt)
            problems.Add($"stage 2 restarted: began {r.Stage2StartedAt:HH:mm:ss.fff}, recorded {stage2Start:HH:mm:ss.fff}");
        if (r.KilledAt >= stage3Start)
            problems.Add("the kill was not in stage 2");
        if (stage3Start - stage2Start < Policy.BakeTime)
            problems.Add($"stage 2 lasted {stage3Start - stage2Start}, less than its bake time");

        // Checks resumed on a survivor; had the bake restarted there, stage 3 would have come a
        // whole bake time after the first check, not within a few check intervals of it.
        if (r.FirstCheckAfterKill is not { } resumed)
        {
            problems.Add("no health check after the kill");
            return problems;
        }
        var bakeLeftAtResume = Policy.BakeTime - (resumed - stage2Start);
        var expectedAdvance = resumed + (bakeLeftAtResume > TimeSpan.Zero ? bakeLeftAtResume : TimeSpan.Zero);
        if (stage3Start - expectedAdvance > TimeSpan.FromSeconds(2.5))
            problems.Add($"stage 3 began {stage3Start - resumed} after checks resumed ({r.KilledAt - stage2Start} served before the kill): the served bake was not counted");
        return problems;
    }
}

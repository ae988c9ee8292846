using Aviary.Harness;
using Xunit.Abstractions;

namespace Aviary.Tests.Failover;

/// <summary>
/// Three silo processes share one PostgreSQL; the silo holding a rollout in stage 2 is killed
/// (SIGKILL) at different moments. The rollout must continue on a survivor at the same stage,
/// with the bake time it had served counted, and finish with every stage entered exactly once.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class RolloutFailoverTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(FailoverScenario.KillMoment.MidStage)]
    [InlineData(FailoverScenario.KillMoment.RightAfterStageChange)]
    [InlineData(FailoverScenario.KillMoment.AtCheck)]
    public async Task RolloutInStage2_HostKilled_ContinuesOnASurvivorAndFinishes(FailoverScenario.KillMoment moment)
    {
        await using var cluster = await ClusterTests.StartAsync(3);

        var result = await FailoverScenario.RunAsync(cluster, moment, output.WriteLine);

        Assert.Empty(FailoverScenario.Problems(result));
    }
}

using Aviary.Harness;
using Aviary.Workflows;
using Xunit.Abstractions;

namespace Aviary.Tests.Failover;

/// <summary>
/// A running workflow whose grain's silo is killed (SIGKILL): on a survivor, finished tasks are
/// not run again and the attempt that was in flight is retried per its policy.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class WorkflowFailoverTests(ITestOutputHelper output)
{
    private static readonly RetryPolicy Retry = new() { MaxAttempts = 3, InitialInterval = TimeSpan.FromMilliseconds(500), MaxInterval = TimeSpan.FromSeconds(1) };

    private static TaskSpec Simulated(string id, int delayMs, params string[] dependsOn) => new()
    {
        Id = id,
        Agent = AgentKinds.Simulated,
        // Only the first attempt is slow: the retry after the kill is quick.
        Input = new() { ["delayMs"] = delayMs.ToString(), ["delayAttempts"] = "1" },
        DependsOn = dependsOn,
        Retry = Retry,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [SkippableFact]
    public async Task RunningWorkflow_HostKilled_FinishedTasksStayDone_InFlightAttemptRetried()
    {
        await using var cluster = await ClusterTests.StartAsync(3);
        var runId = $"failover-run-{Guid.NewGuid():N}"[..28];
        var plan = new WorkflowPlan
        {
            Name = "failover",
            Tasks =
            [
                Simulated("first", 100),
                Simulated("second", 100, "first"),
                // Slow enough that the kill lands inside it on a loaded machine; under the 30 s timeout.
                Simulated("slow", 20_000, "second"),
                Simulated("last", 100, "slow"),
            ],
        };
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(runId);
        await workflow.StartAsync(plan);

        await Poll.UntilAsync(async () => (await workflow.GetAsync())!.Tasks.Single(t => t.Id == "slow").Status == TaskRunStatus.Running, "'slow' running", TimeSpan.FromSeconds(60));
        var victim = await cluster.HostOfAsync(workflow);
        await cluster.KillAsync(victim);
        output.WriteLine($"killed {victim} while 'slow' ran");

        var final = (await Poll.UntilAsync(() => Transient(() => workflow.GetAsync()), v => v is { Status: not WorkflowStatus.Running }, "the end of the run", TimeSpan.FromSeconds(120)))!;

        Assert.Equal(WorkflowStatus.Succeeded, final.Status);
        var byId = final.Tasks.ToDictionary(t => t.Id);
        Assert.Equal(1, byId["first"].Attempts);  // finished before the kill: not run again
        Assert.Equal(1, byId["second"].Attempts);
        Assert.Equal(2, byId["slow"].Attempts);   // the interrupted attempt counts; the retry succeeded
        Assert.Equal(1, byId["last"].Attempts);
        Assert.All(final.Tasks, t => Assert.Equal(TaskRunStatus.Succeeded, t.Status));
    }

    private static async Task<T?> Transient<T>(Func<Task<T?>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (Aviary.Harness.Orleans.OrleansTransient.IsTransient(ex))
        {
            return null;
        }
    }
}

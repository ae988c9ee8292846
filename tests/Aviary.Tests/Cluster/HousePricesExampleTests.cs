using Aviary.Agents.Models;
using Aviary.Client.Commands;
using Aviary.Tests.EndToEnd;
using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

/// <summary>examples/house-prices.yaml in a cluster: validation guards training.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HousePricesExampleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Example_NewSampleOfTheSameSource_ValidatesAndTrainsBothModels()
    {
        var view = await RunAsync(shift: 0, seed: 21);

        Assert.True(view.Status == WorkflowStatus.Succeeded, Describe(view));
        var price = ModelPackage.Load(fixture.Files.Result(view.Tasks.Single(t => t.Id == "train-price").ResultRef!));
        var churn = ModelPackage.Load(fixture.Files.Result(view.Tasks.Single(t => t.Id == "train-churn").ResultRef!));
        Assert.Equal(("regression", "fasttree", "binary", "lightgbm"), (price.Card.Task, price.Card.Algorithm, churn.Card.Task, churn.Card.Algorithm));
        Assert.True(price.Card.Metrics.R2 > 0.8, $"R² {price.Card.Metrics.R2}");
    }

    [Fact]
    public async Task Example_DriftedData_FailsValidationOnce_AndTrainsNothing()
    {
        var view = await RunAsync(shift: 1, seed: 22);

        Assert.True(view.Status == WorkflowStatus.Failed, Describe(view));
        var validate = view.Tasks.Single(t => t.Id == "validate");
        Assert.Equal((TaskRunStatus.DeadLettered, "ValidationFailed", 1), (validate.Status, validate.ErrorKind, validate.Attempts));
        Assert.Contains("drifted (PSI ", validate.Error);
        Assert.Contains("; report: ", validate.Error);
        Assert.All(view.Tasks.Where(t => t.Id.StartsWith("train-", StringComparison.Ordinal)), t => Assert.Equal(TaskRunStatus.Blocked, t.Status));
    }

    private async Task<WorkflowView> RunAsync(double shift, int seed)
    {
        var reference = Path.Combine(fixture.Files.InputRoot, "data", "datasets", "houses-20000-shift0-seed1.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(reference)!);
        lock (typeof(HousePricesExampleTests))
        {
            if (!File.Exists(reference))
                ShiftingData.WriteCsv(reference, 20_000, seed: 1, shift: 0);
        }
        var input = Path.Combine(fixture.Files.InputRoot, $"houses-{seed}.csv");
        ShiftingData.WriteCsv(input, 5_000, seed, shift);
        var plan = WorkflowRunCommands.Substitute(PlanFile.Load(Path.Combine(RepoPaths.Root, "examples", "house-prices.yaml")), input);
        var runId = $"houses-{Guid.NewGuid():N}";
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        await probe.CompletedAsync();

        return (await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!;
    }

    private static string Describe(WorkflowView view) => string.Join("; ", view.Tasks.Select(t => $"{t.Id}: {t.Status} {t.Error}"));
}

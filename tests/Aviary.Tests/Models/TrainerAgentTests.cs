using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

public sealed class TrainerAgentTests : IDisposable
{
    private readonly AgentFolder _folder = new();
    private readonly TrainerAgent _agent;

    public TrainerAgentTests() => _agent = new TrainerAgent(_folder.Files);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Train_WritesModelHoldoutAndCard_TheCardIsTheResult()
    {
        var data = _folder.Dataset("houses", ShiftingData.Generate(500, seed: 1, shift: 0));

        var result = await _agent.ExecuteAsync(AgentFolder.Request("train", ("data", data), ("target", "churn"), ("task", "binary"), ("algorithm", "linear"), ("features", "sqft, distance,region"), ("seed", "7")), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Path.Combine("run1", "train.1.card.json"), result.ResultRef);
        var package = ModelPackage.Load(_folder.Files.Result(result.ResultRef!));
        Assert.Equal(("train.1.model.zip", "train.1.holdout.dataset.json", 7), (package.Card.ModelFile, package.Card.HoldoutFile, package.Card.Seed));
        Assert.Equal(["sqft", "distance", "region"], package.Card.Features.Select(f => f.Name));
        Assert.True(File.Exists(_folder.Files.Result(Path.Combine("run1", package.Card.HoldoutFile))));
    }

    [Fact]
    public async Task Train_WithABaselineOfAnEarlierRun_RecordsItsFigures()
    {
        var data = _folder.Dataset("houses", ShiftingData.Generate(500, seed: 1, shift: 0));
        var first = await _agent.ExecuteAsync(AgentFolder.Request("v1", ("data", data), ("target", "price"), ("algorithm", "linear")), CancellationToken.None);

        var second = await _agent.ExecuteAsync(AgentFolder.Request("v2", ("data", data), ("target", "price"), ("baseline", first.ResultRef!)), CancellationToken.None);

        Assert.True(second.Succeeded, second.Error);
        var card = ModelCard.Read(_folder.Files.Result(second.ResultRef!));
        Assert.Equal(first.ResultRef, card.Baseline);
        Assert.Equal(card.Metrics.Rows, card.BaselineMetrics!.Rows);
    }

    [Theory]
    [InlineData("target", "", "input.target is required (the column to predict)")]
    [InlineData("seed", "x", "input.seed must be a whole number (got 'x')")]
    [InlineData("testFraction", "0", "input.testFraction must be between 0 and 1, exclusive (got 0)")]
    [InlineData("features", "sqft,colour", "input.features: no column 'colour' (columns: sqft, age, rooms, distance, region, price, churn)")]
    [InlineData("baseline", "../../etc/card.json", "input.baseline: '../../etc/card.json' is not a result of this cluster's runs (results live under the outputs folder)")]
    [InlineData("baseline", "run0/missing.card.json", "input.baseline: model card '")]
    public async Task BadInput_IsInvalidInputNamingIt(string key, string value, string message)
    {
        var input = new Dictionary<string, string> { ["data"] = _folder.Dataset("houses", ShiftingData.Generate(50, seed: 1, shift: 0)), ["target"] = "price", [key] = value };

        var result = await _agent.ExecuteAsync(new Aviary.Agents.AgentRequest("run1", "train", 1, input), CancellationToken.None);

        Assert.Equal("InvalidInput", result.ErrorKind);
        Assert.StartsWith(message, result.Error);
    }
}

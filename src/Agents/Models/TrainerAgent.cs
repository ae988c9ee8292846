using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// <c>trainer</c>: trains a model of <c>input.target</c> on <c>input.data</c> (a data-loader
/// result) with ML.NET. <c>input.task</c> regression (default) or binary, <c>input.features</c>
/// (comma-separated; default every other numeric or category column), <c>input.algorithm</c>
/// fasttree (default), lightgbm or linear, <c>input.testFraction</c> (0.2), <c>input.seed</c> (42),
/// and optionally <c>input.baseline</c>, the card (a result of an earlier run) of a model to score
/// on the same held-out rows. Its files: the model zip, the held-out rows, and the model card
/// (the task's result).
/// </summary>
public sealed class TrainerAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "trainer";

    public string Version => "1";

    /// <summary>Its model and card are files of the run.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => runId;

    public Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        try
        {
            var options = new TrainingOptions
            {
                Target = input.GetValueOrDefault("target") ?? "",
                Task = input.GetValueOrDefault("task") is { Length: > 0 } task ? task : ModelTasks.Regression,
                Features = AgentInputs.List(input, "features"),
                Algorithm = input.GetValueOrDefault("algorithm") is { Length: > 0 } algorithm ? algorithm : "fasttree",
                TestFraction = AgentInputs.Number(input, "testFraction", 0.2),
                Seed = AgentInputs.Integer(input, "seed", 42),
            }.Validated();
            var data = ReadData(input);
            ModelPackage? baseline = null;
            if (input.GetValueOrDefault("baseline") is { Length: > 0 } baselineRef)
            {
                try
                {
                    baseline = ModelPackage.Load(files.Result(baselineRef));
                }
                catch (InvalidDataException ex)
                {
                    throw new ArgumentException($"input.baseline: {ex.Message}", ex);
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            var (_, modelPath) = files.NewResult(request, ".model.zip");
            var (_, holdoutPath) = files.NewResult(request, ".holdout.dataset.json");
            var (cardRef, cardPath) = files.NewResult(request, ".card.json");
            var card = Trainer.Train(data, options, modelPath, holdoutPath, baseline, input.GetValueOrDefault("baseline"));
            card.Write(cardPath);
            return Task.FromResult(AgentResult.Ok(cardRef));
        }
        catch (ArgumentException ex)
        {
            return Task.FromResult(AgentResult.InvalidInput(ex.Message));
        }
    }

    private Dataset ReadData(IReadOnlyDictionary<string, string> input)
    {
        if (!input.TryGetValue("data", out var data) || string.IsNullOrWhiteSpace(data))
            throw new ArgumentException("input.data is required (a data-loader result, e.g. ${tasks.load.result})");
        string path;
        try
        {
            path = files.Result(data);
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException($"input.data: {ex.Message}", ex);
        }
        if (!File.Exists(path))
            throw new ArgumentException($"input.data: dataset '{data}' does not exist");
        return DatasetFile.Read(path).Data;
    }
}

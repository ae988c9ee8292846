using System.Text.Json;

namespace Aviary.Agents.Data;

/// <summary>
/// An agent that reads the dataset named by <c>input.data</c> (a data-loader result), computes
/// something from it and stores that as JSON: the shape the analysis agents share.
/// </summary>
public abstract class DatasetAgent(AgentFiles files) : IAgentExecutor
{
    public abstract string Kind { get; }

    public virtual string Version => "1";

    /// <summary>Its result is a file of the run.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => runId;

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (!request.Input.TryGetValue("data", out var data) || string.IsNullOrWhiteSpace(data))
            return AgentResult.InvalidInput("input.data is required (a data-loader result, e.g. ${tasks.load.result})");
        var source = files.Result(data);
        if (!File.Exists(source))
            return AgentResult.InvalidInput($"dataset '{data}' does not exist");
        var (dataset, issues) = DatasetFile.Read(source);
        object result;
        try
        {
            result = Compute(dataset, issues, request.Input);
        }
        catch (ArgumentException ex)
        {
            return AgentResult.InvalidInput(ex.Message);
        }
        var (reference, target) = files.NewResult(request, $".{Kind}.json");
        await using var stream = File.Create(target);
        await JsonSerializer.SerializeAsync(stream, result, DatasetFile.JsonOptions, cancellationToken);
        return AgentResult.Ok(reference);
    }

    protected abstract object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input);
}

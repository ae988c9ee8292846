namespace Aviary.Agents.Data;

/// <summary><c>data-loader</c>: reads <c>input.path</c> (CSV or JSON) and stores it as a dataset file for the next tasks.</summary>
public sealed class DataLoaderAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "data-loader";

    public string Version => "1";

    /// <summary>Its dataset is a file of the run, made from a file that may change between runs.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) =>
        $"{runId}\n{files.InputState(input.GetValueOrDefault("path"))}";

    public Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (!request.Input.TryGetValue("path", out var path) || string.IsNullOrWhiteSpace(path))
            return Task.FromResult(AgentResult.InvalidInput("input.path is required"));
        var source = files.Input(path);
        if (!File.Exists(source))
            return Task.FromResult(AgentResult.InvalidInput($"'{path}' does not exist"));
        var loaded = DataLoader.Load(source);
        var (reference, target) = files.NewResult(request, ".dataset.json");
        DatasetFile.Write(target, loaded.Data, loaded.Issues);
        return Task.FromResult(AgentResult.Ok(reference));
    }
}

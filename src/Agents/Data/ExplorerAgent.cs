using System.Text.Json;

namespace Aviary.Agents.Data;

/// <summary><c>explorer</c>: profiles the dataset <c>input.data</c> (a loader's result) into a JSON file of column profiles.</summary>
public sealed class ExplorerAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "explorer";

    public string Version => "1";

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (!request.Input.TryGetValue("data", out var data) || string.IsNullOrWhiteSpace(data))
            return AgentResult.Fail("InvalidInput", "input.data is required (a data-loader result, e.g. ${tasks.load.result})");
        var source = files.Result(data);
        if (!File.Exists(source))
            return AgentResult.Fail("InvalidInput", $"dataset '{data}' does not exist");
        var (dataset, issues) = DatasetFile.Read(source);
        var profiles = Explorer.Profile(dataset);
        var (reference, target) = files.NewResult(request, ".profile.json");
        await using var stream = File.Create(target);
        await JsonSerializer.SerializeAsync(stream, new { rows = dataset.Rows.Count, issues, columns = profiles }, DatasetFile.JsonOptions, cancellationToken);
        return AgentResult.Ok(reference);
    }
}

namespace Aviary.Agents;

/// <summary>A task of a from-imports plan: checks that its file can be read, and reports its size.</summary>
public sealed class SourceFileAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "source-file";

    public string Version => "1";

    /// <summary>It reports the file's size: a changed file is read again.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => files.InputState(input.GetValueOrDefault("path"));

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (!request.Input.TryGetValue("path", out var path) || string.IsNullOrWhiteSpace(path))
            return AgentResult.InvalidInput("input.path is required");
        var full = files.Input(path);
        if (!File.Exists(full))
            return AgentResult.Fail("NotFound", $"'{path}' does not exist under {files.InputRoot}");
        var bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        return AgentResult.Ok($"file:{path}:{bytes.Length}");
    }
}

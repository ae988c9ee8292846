namespace Aviary.Agents.Data;

/// <summary>
/// <c>visualizer</c>: a chart of <c>input.data</c> — <c>input.chart</c> histogram or line (of
/// <c>input.column</c>), scatter (<c>input.x</c> against <c>input.y</c>), or bar (the sums of an
/// aggregator result <c>input.groups</c>) — as <c>input.format</c> png (default) or svg.
/// </summary>
public sealed class VisualizerAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "visualizer";

    public string Version => "1";

    /// <summary>Its result is a file of the run.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => runId;

    public Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var format = input.GetValueOrDefault("format", "png");
        if (format is not ("png" or "svg"))
            return Task.FromResult(AgentResult.InvalidInput($"input.format must be png or svg (got '{format}')"));
        var chart = input.GetValueOrDefault("chart", "histogram");
        // Checked before it names a file: only the four known kinds ever reach a path.
        if (chart is not ("histogram" or "line" or "scatter" or "bar"))
            return Task.FromResult(AgentResult.InvalidInput($"input.chart must be histogram, line, scatter or bar (got '{chart}')"));
        var (reference, path) = files.NewResult(request, $".{chart}.{format}");
        try
        {
            if (chart == "bar")
            {
                var groups = ResultFiles.Read<ResultFiles.AggregateResult>(files, input, "groups")
                    ?? throw new ArgumentException("input.groups (an aggregator result) is required for a bar chart");
                Visualizer.Bar([.. groups.Groups.Select(g => g.Key)], [.. groups.Groups.Select(g => g.Sum)], $"{groups.Value} by {groups.By}", path);
                return Task.FromResult(AgentResult.Ok(reference));
            }
            if (!input.TryGetValue("data", out var data) || !File.Exists(files.Result(data)))
                throw new ArgumentException("input.data (a data-loader result) is required");
            var (dataset, _) = DatasetFile.Read(files.Result(data));
            switch (chart)
            {
                case "histogram":
                    Visualizer.Histogram(dataset, Required(input, "column"), path);
                    break;
                case "line":
                    Visualizer.Line(dataset, Required(input, "column"), path);
                    break;
                case "scatter":
                    Visualizer.Scatter(dataset, Required(input, "x"), Required(input, "y"), path);
                    break;
                default:
                    throw new ArgumentException($"input.chart must be histogram, line, scatter or bar (got '{chart}')");
            }
            return Task.FromResult(AgentResult.Ok(reference));
        }
        catch (ArgumentException ex)
        {
            return Task.FromResult(AgentResult.InvalidInput(ex.Message));
        }
    }

    private static string Required(IReadOnlyDictionary<string, string> input, string key) =>
        input.GetValueOrDefault(key) ?? throw new ArgumentException($"input.{key} is required");
}

namespace Aviary.Agents.Data;

/// <summary>
/// <c>reporter</c>: a Markdown report and the same as HTML beside it, from the results named in
/// its input: <c>profile</c> (explorer), <c>groups</c> (aggregator), <c>findings</c> (recommender),
/// <c>charts</c> (comma-separated visualizer results, linked). Its result is the Markdown file.
/// </summary>
public sealed class ReporterAgent(AgentFiles files) : IAgentExecutor
{
    public string Kind => "reporter";

    public string Version => "1";

    /// <summary>Its result is a file of the run.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) => runId;

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var sections = new List<Reporter.Section>();
        try
        {
            if (ResultFiles.Read<ResultFiles.FindingsResult>(files, request.Input, "findings") is { } findings)
                sections.Add(Reporter.Findings(findings.Findings));
            if (ResultFiles.Read<ResultFiles.ProfileResult>(files, request.Input, "profile") is { } profile)
                sections.Add(Reporter.Profiles(profile.Columns));
            if (ResultFiles.Read<ResultFiles.AggregateResult>(files, request.Input, "groups") is { } groups)
                sections.Add(Reporter.Groups(groups.By, groups.Groups));
        }
        catch (ArgumentException ex)
        {
            return AgentResult.InvalidInput(ex.Message);
        }
        var charts = request.Input.GetValueOrDefault("charts", "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (charts.Length > 0)
        {
            var missing = charts.FirstOrDefault(c => !File.Exists(files.Result(c)));
            if (missing is not null)
                return AgentResult.InvalidInput($"input.charts: result '{missing}' does not exist");
            sections.Add(new Reporter.Section("Charts (files beside this report)", ["chart"], [.. charts.Select(c => (IReadOnlyList<string>)[Path.GetFileName(c)])]));
        }
        if (sections.Count == 0)
            return AgentResult.InvalidInput("give at least one of input.findings, input.profile, input.groups, input.charts");

        var title = request.Input.GetValueOrDefault("title", "Data report");
        var (reference, markdownPath) = files.NewResult(request, ".report.md");
        await File.WriteAllTextAsync(markdownPath, Reporter.Markdown(title, sections), cancellationToken);
        await File.WriteAllTextAsync(Path.ChangeExtension(markdownPath, ".html"), Reporter.Html(title, sections), cancellationToken);
        return AgentResult.Ok(reference); // the run's charts are already in the same folder
    }
}

using Aviary.Client.Cli;
using Aviary.Models;

namespace Aviary.Client.Api;

/// <summary>Models through the silo's HTTP API (<c>/api/models</c>).</summary>
public sealed class ModelClient(ApiConnection api)
{
    private static string S(string segment) => Uri.EscapeDataString(segment);

    public Task<ModelSummaryDto[]> ListAsync(CancellationToken cancellationToken) => api.GetAsync<ModelSummaryDto[]>("/api/models", cancellationToken);

    public Task<ModelView> GetAsync(string model, CancellationToken cancellationToken) => api.GetAsync<ModelView>($"/api/models/{S(model)}", cancellationToken);

    public Task<ModelVersionView> GetVersionAsync(string model, string version, CancellationToken cancellationToken) =>
        api.GetAsync<ModelVersionView>($"/api/models/{S(model)}/versions/{S(version)}", cancellationToken);

    public Task<ModelVersionView> RegisterAsync(string model, object body, CancellationToken cancellationToken) =>
        api.PostAsync<ModelVersionView>($"/api/models/{S(model)}/versions", body, cancellationToken);

    public Task<ModelView> SetAliasAsync(string model, string alias, string version, string? reason, CancellationToken cancellationToken) =>
        api.PutAsync<ModelView>($"/api/models/{S(model)}/aliases/{S(alias)}", new { version, reason }, cancellationToken);

    public Task<ModelView> RemoveAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        api.DeleteAsync<ModelView>($"/api/models/{S(model)}/aliases/{S(alias)}", cancellationToken);

    public Task<ModelComparisonView> CompareAsync(string model, string champion, string challenger, double? margin, string? holdout, CancellationToken cancellationToken)
    {
        var query = $"?champion={S(champion)}&challenger={S(challenger)}"
            + (margin is { } m ? $"&margin={m.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")
            + (holdout is null ? "" : $"&holdout={S(holdout)}");
        return api.GetAsync<ModelComparisonView>($"/api/models/{S(model)}/compare{query}", cancellationToken);
    }

    public Task<ModelView> SetPolicyAsync(string model, string json, CancellationToken cancellationToken) =>
        api.PutTextAsync<ModelView>($"/api/models/{S(model)}/policy", json, "application/json", cancellationToken);

    public Task<ModelMonitorView> MonitorAsync(string model, bool check, CancellationToken cancellationToken) => check
        ? api.PostAsync<ModelMonitorView>($"/api/models/{S(model)}/monitor/check", null, cancellationToken)
        : api.GetAsync<ModelMonitorView>($"/api/models/{S(model)}/monitor", cancellationToken);

    public Task<ModelTelemetryView> TelemetryAsync(string model, string? window, CancellationToken cancellationToken) =>
        api.GetAsync<ModelTelemetryView>($"/api/models/{S(model)}/telemetry" + (window is null ? "" : $"?window={S(window)}"), cancellationToken);

    public Task<FeedbackAcceptedDto> FeedbackAsync(string model, object body, CancellationToken cancellationToken) =>
        api.PostAsync<FeedbackAcceptedDto>($"/api/models/{S(model)}/feedback", body, cancellationToken);
}

public sealed record ModelSummaryDto(string Model, int Versions, string? Latest, Dictionary<string, string> Aliases, string Service);

public sealed record FeedbackAcceptedDto(string Model, int Labels);

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.ModelServer;

/// <summary>
/// <c>POST /v/{version}/predict</c>: scores a request with a version or an ensemble, records
/// what it saw for the version's observations, and answers with the prediction; the request's id
/// (<c>x-request-id</c>, or a new one) is echoed in the same header.
/// </summary>
public static class PredictApi
{
    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static RouteGroupBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v/{version}");
        group.MapPost("/predict", PredictAsync);
        return group;
    }

    public static async Task<IResult> PredictAsync(string version, HttpContext http, ModelVersions versions, ModelServerOptions options, ModelServerMetrics metrics)
    {
        var requestId = RequestIds.From(http.Request.Headers[RequestIds.Header]);
        http.Response.Headers[RequestIds.Header] = requestId;
        if (!VersionNames.IsValid(version))
            return Count(metrics, "-", "bad_request", ModelServerProblems.BadRequest("version", $"'{Echo(version)}' is not a version name", VersionNames.Rule));
        var state = await versions.GetAsync(version, http.RequestAborted);
        if (state.Status == VersionStatus.Unknown)
            return Count(metrics, "-", "unknown", ModelServerProblems.UnknownVersion(options.Model, version, state.Reason));
        if (state.Served is not { } served)
            return Count(metrics, version, "unavailable", ModelServerProblems.Unavailable(version, state.Reason));

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Count(metrics, version, "bad_request", ModelServerProblems.BadRequest("body", $"the body is not JSON: {ex.Message}", "must be a JSON object of features, or {\"features\": {...}}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Count(metrics, version, "bad_request", Results.Problem(statusCode: ex.StatusCode, title: "Request too large", detail: $"the body is larger than {options.MaxRequestBytes} bytes",
                extensions: new Dictionary<string, object?> { ["field"] = "body", ["rule"] = $"at most {options.MaxRequestBytes} bytes" }));
        }
        using (document)
        {
            var (features, error) = PredictionBody.Read(document);
            if (features is null)
                return Count(metrics, version, "bad_request", ModelServerProblems.BadRequest("features", error!, "must be a JSON object of features, or {\"features\": {...}}"));
            var shadow = http.Request.Headers[RequestIds.ShadowHeader] == "1";
            try
            {
                var response = served.Members.Count == 0
                    ? Single(served, features, requestId, shadow, options, metrics)
                    : Ensemble(served, features, requestId, shadow, options, metrics);
                return Count(metrics, version, "ok", Results.Json(response, ResponseJson));
            }
            catch (ArgumentException ex)
            {
                return Count(metrics, version, "bad_request", ModelServerProblems.BadRequest("features", ex.Message, "every feature of the model, each a number or a category as it was trained, and no other"));
            }
        }
    }

    private static PredictionResponse Single(ServedVersion served, Dictionary<string, JsonElement> features, string requestId, bool shadow, ModelServerOptions options, ModelServerMetrics metrics)
    {
        var (output, latency) = Score(served, features, metrics);
        if (options.HasApi)
            served.Recorder!.Record(features, Record(requestId, output, latency, shadow));
        return new PredictionResponse(requestId, options.Model, served.Name, output.Value, output.Label, null);
    }

    private static PredictionResponse Ensemble(ServedVersion served, Dictionary<string, JsonElement> features, string requestId, bool shadow, ModelServerOptions options, ModelServerMetrics metrics)
    {
        // Every member scores before any records, so a refused request leaves no trace.
        var outputs = new (ModelOutput Output, double Latency)[served.Members.Count];
        for (var i = 0; i < outputs.Length; i++)
            outputs[i] = Score(served.Members[i], features, metrics);
        if (options.HasApi)
        {
            for (var i = 0; i < outputs.Length; i++)
                served.Members[i].Recorder!.Record(features, Record(requestId, outputs[i].Output, outputs[i].Latency, shadow));
        }
        var combined = EnsembleCombiner.Combine(served.Combine!, served.Task, [.. outputs.Select(o => o.Output)]);
        var members = served.Members.Select((m, i) => new MemberPrediction(m.Name, outputs[i].Output.Value, outputs[i].Output.Label)).ToArray();
        return new PredictionResponse(requestId, options.Model, served.Name, combined.Value, combined.Label, members);
    }

    private static (ModelOutput Output, double LatencyMs) Score(ServedVersion version, Dictionary<string, JsonElement> features, ModelServerMetrics metrics)
    {
        var start = Stopwatch.GetTimestamp();
        var output = version.Package!.Predict(features);
        var elapsed = Stopwatch.GetElapsedTime(start);
        metrics.Scoring.WithLabels(version.Name).Observe(elapsed.TotalSeconds);
        return (output, elapsed.TotalMilliseconds);
    }

    private static PredictionRecord Record(string requestId, ModelOutput output, double latencyMs, bool shadow) =>
        new() { RequestId = requestId, Value = output.Value, Label = output.Label, LatencyMs = latencyMs, Shadow = shadow };

    private static IResult Count(ModelServerMetrics metrics, string version, string outcome, IResult result)
    {
        metrics.Requests.WithLabels(version, outcome).Inc();
        return result;
    }

    private static string Echo(string text) => new([.. text.Where(c => !char.IsControl(c)).Take(64)]);
}

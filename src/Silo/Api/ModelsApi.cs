using System.Text.Json;
using Aviary.Errors;
using Aviary.Grains.Models;
using Aviary.Models;
using Aviary.Security;
using Aviary.Silo.Security;
using Aviary.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/models</c>: the model registry (versions with figures and lineage, aliases, comparisons
/// on held-out rows), each model's policy and monitor, and the live side: what model servers saw
/// (<c>observations</c>) and the labels that come back later (<c>feedback</c>). Viewers read;
/// operators register, alias, report and set policies.
/// </summary>
public static class ModelsApi
{
    public const int MaxFeedbackPerRequest = 10_000;

    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").WithBodyLimit(ApiLimits.SmallBody);
        api.MapGet("/", ListAsync).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{model}", async (string model, IGrainFactory grains) => TypedResults.Ok(await GetAsync(grains, model))).RequireRole(AviaryRole.Viewer);
        api.MapDelete("/{model}", async (string model, IGrainFactory grains) =>
        {
            await GetAsync(grains, model);
            await grains.GetGrain<IModelMonitorGrain>(model).StopAsync();
            await grains.GetGrain<IModelTelemetryGrain>(model).ClearAsync();
            await Grain(grains, model).RemoveAsync();
            return TypedResults.NoContent();
        }).RequireRole(AviaryRole.Admin);
        api.MapGet("/{model}/versions/{version}", async (string model, string version, IGrainFactory grains) =>
            TypedResults.Ok(await Grain(grains, model).GetVersionAsync(version))).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{model}/versions/{version}/card", (string model, string version, IGrainFactory grains, ModelFiles files) =>
            FileAsync(grains, files, model, version, artifact: false)).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{model}/versions/{version}/artifact", (string model, string version, IGrainFactory grains, ModelFiles files) =>
            FileAsync(grains, files, model, version, artifact: true)).RequireRole(AviaryRole.Viewer);
        api.MapPost("/{model}/versions", RegisterAsync).RequireRole(AviaryRole.Operator);
        api.MapDelete("/{model}/versions/{version}", async (string model, string version, HttpContext context, IGrainFactory grains) =>
            TypedResults.Ok(await Grain(grains, model).RemoveVersionAsync(Identifiers.ValidateVersion(version), context.User.Caller()))).RequireRole(AviaryRole.Operator);
        api.MapPut("/{model}/aliases/{alias}", SetAliasAsync).RequireRole(AviaryRole.Operator);
        api.MapDelete("/{model}/aliases/{alias}", async (string model, string alias, HttpContext context, IGrainFactory grains) =>
            TypedResults.Ok(await Grain(grains, model).RemoveAliasAsync(alias, context.User.Caller()))).RequireRole(AviaryRole.Operator);
        api.MapGet("/{model}/compare", CompareAsync).RequireRole(AviaryRole.Viewer);
        api.MapPut("/{model}/policy", SetPolicyAsync).RequireRole(AviaryRole.Operator).WithBodyLimit(WorkflowsApi.PlanBody);
        api.MapGet("/{model}/monitor", async (string model, IGrainFactory grains) =>
        {
            await GetAsync(grains, model);
            return TypedResults.Ok(await grains.GetGrain<IModelMonitorGrain>(model).GetAsync());
        }).RequireRole(AviaryRole.Viewer);
        api.MapPost("/{model}/monitor/check", async (string model, IGrainFactory grains) =>
        {
            await GetAsync(grains, model);
            return TypedResults.Ok(await grains.GetGrain<IModelMonitorGrain>(model).CheckAsync());
        }).RequireRole(AviaryRole.Operator);
        api.MapGet("/{model}/telemetry", async (string model, string? window, IGrainFactory grains) =>
        {
            var policy = (await GetAsync(grains, model)).Policy;
            var span = window is null ? policy.Window : Durations.Parse("window", window);
            if (span <= TimeSpan.Zero || span > ModelPolicyValidator.MaxWindow)
                throw new AviaryValidationException("window", $"must be positive and at most {Durations.Format(ModelPolicyValidator.MaxWindow)}");
            return TypedResults.Ok(await grains.GetGrain<IModelTelemetryGrain>(model).GetAsync(span, policy.AgreementTolerance));
        }).RequireRole(AviaryRole.Viewer);
        api.MapPost("/{model}/observations", ObserveAsync).RequireRole(AviaryRole.Operator).WithBodyLimit(ApiLimits.SamplesBody);
        api.MapPost("/{model}/feedback", FeedbackAsync).RequireRole(AviaryRole.Operator).WithBodyLimit(ApiLimits.SamplesBody);
        return api;
    }

    private static IModelGrain Grain(IGrainFactory grains, string model) => grains.GetGrain<IModelGrain>(ModelNames.Validate(model));

    private static async Task<ModelView> GetAsync(IGrainFactory grains, string model) =>
        await Grain(grains, model).GetAsync() ?? throw new AviaryNotFoundException("model", $"no model '{model}'");

    private static async Task<Ok<ModelSummary[]>> ListAsync(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).ListAsync();
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetAsync()));
        return TypedResults.Ok(models.OfType<ModelView>().Select(ModelSummary.Of).ToArray());
    }

    private static async Task<Created<ModelVersionView>> RegisterAsync(string model, RegisterVersionRequest? body, HttpContext context, IGrainFactory grains, IModelArtifacts artifacts)
    {
        ModelNames.Validate(model);
        if (body is null)
            throw new AviaryValidationException("body", "must be a JSON object with card (or run and task), or members and combine for an ensemble");
        var reason = Identifiers.ValidateReason(body.Reason);
        var by = context.User.Caller();
        ModelVersionView registered;
        if (body.Members is { Length: > 0 } members)
        {
            if (body.Card is not null || body.Run is not null)
                throw new AviaryValidationException("members", "an ensemble is made of registered versions: give members and combine, not a card or run");
            var combine = body.Combine ?? "";
            if (combine is not ("mean" or "vote"))
                throw new AviaryValidationException("combine", $"must be mean or vote (got '{combine}')");
            if (members.Length is < 2 or > 10 || members.Distinct(StringComparer.Ordinal).Count() != members.Length)
                throw new AviaryValidationException("members", "must name 2–10 distinct versions");
            var grain = Grain(grains, model);
            var versions = new List<ModelVersionView>();
            for (var i = 0; i < members.Length; i++)
            {
                Identifiers.ValidateVersion(members[i], $"members[{i}]");
                var member = await grain.GetVersionAsync(members[i]);
                if (member.IsEnsemble)
                    throw new AviaryValidationException($"members[{i}]", $"{member.Version} is an ensemble itself");
                versions.Add(member);
            }
            if (versions.Select(v => v.Task).Distinct().Count() > 1 || versions.Select(v => string.Join(',', v.Features)).Distinct().Count() > 1)
                throw new AviaryValidationException("members", "must all be of one task with the same features");
            if (combine == "vote" && versions[0].Task != "binary")
                throw new AviaryValidationException("combine", "vote needs binary classifiers; average regressions with mean");
            var first = versions[0];
            registered = await grain.RegisterAsync(new ModelVersionView
            {
                Task = first.Task,
                Algorithm = $"ensemble({combine})",
                Target = first.Target,
                Features = first.Features,
                Members = [.. versions.Select(v => v.Version)],
                Combine = combine,
                RegisteredBy = by,
                Reason = reason,
            }, await grain.GetReferenceAsync(first.Version));
        }
        else
        {
            var card = body.Card ?? await CardOfRunAsync(grains, body.Run, body.Task);
            var (draft, reference) = await artifacts.ReadCardAsync(card, context.RequestAborted);
            registered = await Grain(grains, model).RegisterAsync(draft with { RegisteredBy = by, Reason = reason }, reference);
        }
        return TypedResults.Created($"/api/models/{model}/versions/{registered.Version}", registered);
    }

    /// <summary>The model card a run's task produced: the task's result when it succeeded.</summary>
    private static async Task<string> CardOfRunAsync(IGrainFactory grains, string? run, string? task)
    {
        if (run is null)
            throw new AviaryValidationException("card", "give card (a result path) or run and task");
        var view = await grains.GetGrain<IWorkflowGrain>(Identifiers.ValidateRunId(run, "run")).GetAsync()
            ?? throw new AviaryNotFoundException("run", $"no workflow run '{run}'");
        var id = task ?? "train";
        var taskRun = view.Tasks.FirstOrDefault(t => t.Id == id) ?? throw new AviaryNotFoundException("task", $"run {run} has no task '{id}'");
        if (taskRun.Status != TaskRunStatus.Succeeded || string.IsNullOrEmpty(taskRun.ResultRef))
            throw new AviaryConflictException("task", $"task {id} of run {run} has not succeeded (it is {taskRun.Status.ToString().ToLowerInvariant()}): no model card to register");
        return taskRun.ResultRef;
    }

    private static async Task<Ok<ModelView>> SetAliasAsync(string model, string alias, AliasRequest? body, HttpContext context, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(body?.Version))
            throw new AviaryValidationException("version", "must name the version (or another alias) the alias points at");
        return TypedResults.Ok(await Grain(grains, model).SetAliasAsync(ModelNames.ValidateAlias(alias), body.Version, context.User.Caller(), Identifiers.ValidateReason(body.Reason)));
    }

    private static async Task<Ok<ModelComparisonView>> CompareAsync(string model, string? champion, string? challenger, double? margin, string? holdout, IGrainFactory grains, IModelArtifacts artifacts, HttpContext context)
    {
        var view = await GetAsync(grains, model);
        var grain = Grain(grains, model);
        var a = await grain.GetVersionAsync(champion ?? ModelAliases.Champion);
        var b = await grain.GetVersionAsync(challenger ?? ModelAliases.Challenger);
        var m = margin ?? view.Policy.Margin;
        if (m is < 0 or >= 1 || double.IsNaN(m))
            throw new AviaryValidationException("margin", "must be at least 0 and below 1");
        return TypedResults.Ok(await artifacts.CompareAsync(model, a, b, m, holdout, context.RequestAborted));
    }

    private static async Task<Ok<ModelView>> SetPolicyAsync(string model, ModelPolicyRequest? body, HttpContext context, IGrainFactory grains, AgentInputPolicy inputs)
    {
        ModelNames.Validate(model);
        if (body is null)
            throw new AviaryValidationException("body", "must be a JSON object (every field optional)");
        var policy = body.ToPolicy(model);
        if (policy.RetrainPlan is { } plan)
            inputs.Check(PlanFile.WithInput(plan, policy.RetrainInput));
        var view = await Grain(grains, model).SetPolicyAsync(ModelPolicyValidator.Validate(policy), context.User.Caller());
        await grains.GetGrain<IModelMonitorGrain>(model).WatchAsync();
        return TypedResults.Ok(view);
    }

    private static async Task<Accepted<ObservationsAccepted>> ObserveAsync(string model, ModelObservationBatch? body, IGrainFactory grains)
    {
        if (body is null)
            throw new AviaryValidationException("body", "must be an observation batch: version, requests, features, predictions");
        ModelTelemetry.Validate(body);
        await Grain(grains, model).GetVersionAsync(body.Version); // an unknown model or version: 404, nothing kept
        await grains.GetGrain<IModelTelemetryGrain>(model).RecordAsync(body);
        return TypedResults.Accepted((string?)null, new ObservationsAccepted(model, body.Version, body.Requests, body.Predictions.Length));
    }

    private static async Task<Ok<FeedbackAccepted>> FeedbackAsync(string model, FeedbackRequest? body, IGrainFactory grains)
    {
        await GetAsync(grains, model);
        var labels = body?.Labels is { } many
            ? many.Select((l, i) => ToFeedback(l.RequestId, l.Value, $"labels[{i}]")).ToArray()
            : body?.RequestId is not null ? [ToFeedback(body.RequestId, body.Value, null)]
            : throw new AviaryValidationException("body", "must be {requestId, value} or {labels: [{requestId, value}, …]}");
        if (labels.Length is 0 or > MaxFeedbackPerRequest)
            throw new AviaryValidationException("labels", $"must hold 1–{MaxFeedbackPerRequest} labels");
        return TypedResults.Ok(new FeedbackAccepted(model, await grains.GetGrain<IModelTelemetryGrain>(model).FeedbackAsync(labels)));
    }

    /// <summary>A true value: a number, or true/false (1/0) for a binary label.</summary>
    private static Feedback ToFeedback(string? requestId, JsonElement? value, string? prefix)
    {
        var field = prefix is null ? "value" : $"{prefix}.value";
        ModelTelemetry.ValidateRequestId(requestId, prefix is null ? "requestId" : $"{prefix}.requestId");
        double number = value?.ValueKind switch
        {
            JsonValueKind.Number when value.Value.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            JsonValueKind.String when value.Value.GetString() is "true" => 1,
            JsonValueKind.String when value.Value.GetString() is "false" => 0,
            _ => throw new AviaryValidationException(field, "must be the true value: a finite number, or true/false for a binary label"),
        };
        return new Feedback { RequestId = requestId!, Value = number };
    }

    private static async Task<IResult> FileAsync(IGrainFactory grains, ModelFiles files, string model, string version, bool artifact)
    {
        var found = await Grain(grains, model).GetVersionAsync(version);
        if (found.IsEnsemble)
            throw new AviaryConflictException("version", $"{found.Version} is an ensemble of {string.Join(", ", found.Members)}: fetch its members");
        var path = artifact ? files.ModelFileOf(found.Card) : files.CardPath(found.Card);
        return TypedResults.PhysicalFile(path, artifact ? "application/zip" : "application/json", Path.GetFileName(path));
    }
}

/// <summary>Body of <c>POST /api/models/{model}/versions</c>: a card (a result path), or the run and task that made it; or an ensemble's members.</summary>
public sealed record RegisterVersionRequest(string? Card = null, string? Run = null, string? Task = null, string[]? Members = null, string? Combine = null, string? Reason = null);

public sealed record AliasRequest(string? Version = null, string? Reason = null);

public sealed record FeedbackRequest(string? RequestId = null, JsonElement? Value = null, FeedbackItem[]? Labels = null);

public sealed record FeedbackItem(string? RequestId = null, JsonElement? Value = null);

public sealed record FeedbackAccepted(string Model, int Labels);

public sealed record ObservationsAccepted(string Model, string Version, long Requests, int Predictions);

/// <summary>One model in the list: its versions, aliases and newest version.</summary>
public sealed record ModelSummary(string Model, int Versions, string? Latest, Dictionary<string, string> Aliases, string Service)
{
    public static ModelSummary Of(ModelView view) =>
        new(view.Model, view.Versions.Length, view.Versions.LastOrDefault()?.Version, view.Aliases, view.Policy.ServiceFor(view.Model));
}

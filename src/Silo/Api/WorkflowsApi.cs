using System.Text;
using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Security;
using Aviary.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/workflows</c>, <c>/api/deadletters</c>, <c>/api/agents</c>: runs of plans (a plan is the
/// text of a plan file, YAML, or JSON with <c>Content-Type: application/json</c>), the tasks that
/// failed their last attempt, and the agent pools.
/// </summary>
public static class WorkflowsApi
{
    /// <summary>A plan file: thousands of tasks fit.</summary>
    public const long PlanBody = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/workflows").WithBodyLimit(PlanBody);
        runs.MapGet("/", (WorkflowOperations ops) => ops.ListAsync()).RequireRole(AviaryRole.Viewer);
        runs.MapGet("/{run}", (string run, WorkflowOperations ops) => ops.GetAsync(run)).RequireRole(AviaryRole.Viewer);
        runs.MapGet("/{run}/dag", async (string run, WorkflowOperations ops) => WorkflowDag.Of(await ops.GetPlanAsync(run))).RequireRole(AviaryRole.Viewer);
        // Analysing a plan changes nothing: a viewer may.
        runs.MapPost("/analysis", async (HttpRequest request) => PlanAnalysis.Of(PlanValidator.Validate(await ReadPlanAsync(request, null)))).RequireRole(AviaryRole.Viewer);
        runs.MapPost("/{run}", StartAsync).RequireRole(AviaryRole.Operator);
        runs.MapPost("/{run}/cancel", (string run, WorkflowOperations ops) => ops.CancelAsync(run)).RequireRole(AviaryRole.Operator);

        var dead = app.MapGroup("/api/deadletters").WithBodyLimit(ApiLimits.SmallBody);
        dead.MapGet("/", (WorkflowOperations ops) => ops.DeadLettersAsync()).RequireRole(AviaryRole.Viewer);
        dead.MapGet("/{key}", (string key, WorkflowOperations ops) => ops.DeadLetterAsync(key)).RequireRole(AviaryRole.Viewer);
        dead.MapPost("/{key}/retry", (string key, WorkflowOperations ops) => ops.RetryDeadLettersAsync(key, all: false)).RequireRole(AviaryRole.Operator);
        dead.MapPost("/retry", (WorkflowOperations ops) => ops.RetryDeadLettersAsync(null, all: true)).RequireRole(AviaryRole.Operator);
        dead.MapDelete("/", async (WorkflowOperations ops) => TypedResults.Ok(new PurgeResult(await ops.PurgeDeadLettersAsync()))).RequireRole(AviaryRole.Admin);

        app.MapGet("/api/agents", (WorkflowOperations ops) => ops.AgentPoolsAsync()).RequireRole(AviaryRole.Viewer);
        return app;
    }

    /// <summary>Starts run <paramref name="run"/> of the plan in the body, <c>${input}</c> replaced by <paramref name="input"/>; 201, or 200 when the run had started already.</summary>
    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>>> StartAsync(string run, string? input, HttpRequest request, WorkflowOperations ops, AgentInputPolicy inputs)
    {
        Identifiers.ValidateRunId(run, "run");
        var plan = inputs.Check(PlanValidator.Validate(PlanFile.WithInput(await ReadPlanAsync(request, run), input)));
        var existed = await ops.ExistsAsync(run);
        var view = await ops.StartAsync(run, plan);
        return existed ? TypedResults.Ok(view) : TypedResults.Created($"/api/workflows/{run}", view);
    }

    private static async Task<WorkflowPlan> ReadPlanAsync(HttpRequest request, string? defaultName)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
            throw new AviaryValidationException("body", "must be a plan (YAML, or JSON with Content-Type application/json)");
        var json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            return PlanFile.Parse(text, json, defaultName ?? "plan");
        }
        catch (AviaryValidationException ex) when (ex.Field == "file")
        {
            throw new AviaryValidationException("body", ex.Rule);
        }
    }
}

/// <summary>How many dead letters a purge removed.</summary>
public sealed record PurgeResult(int Purged);

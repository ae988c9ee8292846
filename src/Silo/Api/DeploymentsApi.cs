using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Security;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/deployments</c>: read deployments, drive rollouts, and report request outcomes.
/// Errors are problem details (<see cref="AviaryExceptionHandler"/>).
/// </summary>
public static class DeploymentsApi
{
    public const int MaxSamplesPerRequest = 100_000;

    /// <summary>The longest reason an operator may give for a command.</summary>
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapDeploymentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deployments").WithBodyLimit(ApiLimits.SmallBody);
        api.MapGet("/", (RolloutOperations ops) => ops.ListAsync()).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{service}", GetAsync).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{service}/rollouts/{number}", GetRolloutAsync).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{service}/metrics", CompareAsync).RequireRole(AviaryRole.Viewer);
        var operate = api.MapGroup("/").RequireRole(AviaryRole.Operator);
        operate.MapPost("/{service}/versions/{version}", DeployAsync);
        operate.MapPost("/{service}/versions/{version}/samples", PostSamplesAsync).WithBodyLimit(ApiLimits.SamplesBody);
        // Every verb takes an optional ?reason= (the audit log keeps it with the change; pause and abort also show it on the rollout).
        operate.MapPost("/{service}/promote", (string service, bool? full, string? reason, RolloutOperations ops) =>
        {
            Reason(reason);
            return ops.PromoteAsync(service, full ?? false);
        });
        operate.MapPost("/{service}/pause", (string service, string? reason, RolloutOperations ops) => ops.PauseAsync(service, Reason(reason)));
        operate.MapPost("/{service}/resume", (string service, string? reason, RolloutOperations ops) =>
        {
            Reason(reason);
            return ops.ResumeAsync(service);
        });
        operate.MapPost("/{service}/abort", (string service, string? reason, RolloutOperations ops) => ops.AbortAsync(service, Reason(reason)));
        operate.MapPost("/{service}/undo", (string service, string? reason, RolloutOperations ops) =>
        {
            Reason(reason);
            return ops.UndoAsync(service);
        });
        return api;
    }

    /// <summary>An operator's reason: optional free text, at most <see cref="MaxReasonLength"/> characters, no control characters.</summary>
    private static string Reason(string? reason)
    {
        if (reason is null)
            return "";
        if (reason.Length > MaxReasonLength)
            throw new AviaryValidationException("reason", $"must be at most {MaxReasonLength} characters (got {reason.Length})");
        if (reason.Any(char.IsControl))
            throw new AviaryValidationException("reason", "must not contain control characters");
        return reason;
    }

    private static async Task<Ok<DeploymentStatus>> GetAsync(string service, RolloutOperations ops)
    {
        var deployment = await ops.GetDeploymentAsync(service);
        var rollout = await ops.GetLatestRolloutAsync(service);
        return TypedResults.Ok(new DeploymentStatus(deployment, rollout));
    }

    /// <summary>Rollout <c>{service}/{number}</c> (the ids deployments give their rollouts).</summary>
    private static async Task<Ok<RolloutView>> GetRolloutAsync(string service, string number, RolloutOperations ops, IGrainFactory grains)
    {
        Identifiers.ValidateService(service);
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new AviaryValidationException("number", $"must be a rollout number ≥ 1 (got '{number}')");
        var view = await grains.GetGrain<IRolloutGrain>($"{service}/{n}").GetAsync();
        if (view.Service.Length == 0)
            throw new AviaryNotFoundException("rollout", $"no rollout '{service}/{n}'");
        return TypedResults.Ok(view);
    }

    /// <summary>Two versions of a service over the last <paramref name="window"/> (default 1 minute): what the rollout's judge compares.</summary>
    private static async Task<Ok<MetricsComparison>> CompareAsync(string service, string? canary, string? stable, string? window, RolloutOperations ops, IGrainFactory grains)
    {
        var deployment = await ops.GetDeploymentAsync(service);
        var canaryVersion = Identifiers.ValidateVersion(canary ?? deployment.CanaryVersion ?? deployment.StableVersion, "canary");
        var stableVersion = Identifiers.ValidateVersion(stable ?? deployment.StableVersion, "stable");
        var span = window is null ? TimeSpan.FromMinutes(1) : Durations.Parse("window", window);
        if (span <= TimeSpan.Zero || span > TimeSpan.FromHours(24))
            throw new AviaryValidationException("window", "must be positive and at most 24 hours");
        return TypedResults.Ok(await grains.GetGrain<IServiceMetricsGrain>(service).CompareAsync(canaryVersion, stableVersion, span));
    }

    private static async Task<Ok<DeployResult>> DeployAsync(string service, string version, DeployRequest? body, RolloutOperations ops)
    {
        var d = RolloutPolicy.Default;
        var strategy = body?.Strategy ?? d.Strategy;
        var policy = body is null ? d : new RolloutPolicy
        {
            Strategy = strategy,
            Rules = body.Rules ?? d.Rules,
            Iterations = body.Iterations ?? d.Iterations,
            AutoPromote = body.AutoPromote ?? d.AutoPromote,
            SwitchBackWindow = body.SwitchBackWindow ?? d.SwitchBackWindow,
            PreviewHeader = body.PreviewHeader ?? d.PreviewHeader,
            MirrorPercent = body.MirrorPercent ?? d.MirrorPercent,
            MirrorAllMethods = body.MirrorAllMethods ?? d.MirrorAllMethods,
            MaxMismatchRate = body.MaxMismatchRate ?? d.MaxMismatchRate,
            // Blue-green and A/B switch all traffic at once: their one "stage" is 100 %.
            Stages = body.Stages ?? (strategy == Strategy.Canary ? d.Stages : [100]),
            BakeTime = body.Bake ?? d.BakeTime,
            CheckInterval = body.Interval ?? d.CheckInterval,
            MaxErrorRate = body.MaxErrorRate ?? d.MaxErrorRate,
            MaxP95 = body.MaxP95 ?? d.MaxP95,
            MinSamples = body.MinSamples ?? d.MinSamples,
            FailureLimit = body.FailureLimit ?? d.FailureLimit,
            InconclusiveLimit = body.InconclusiveLimit ?? d.InconclusiveLimit,
            Gates = body.Gates ?? d.Gates,
            Analysis = body.Analysis ?? d.Analysis,
            Confidence = body.Confidence ?? d.Confidence,
            Tolerance = body.Tolerance ?? d.Tolerance,
            DryRun = body.DryRun ?? d.DryRun,
        };
        return TypedResults.Ok(await ops.DeployAsync(service, version, policy, body?.To));
    }

    private static async Task<Results<Accepted<SamplesAccepted>, ProblemHttpResult>> PostSamplesAsync(
        string service, string version, SampleDto[]? samples, RolloutOperations ops, IClusterClient client)
    {
        Identifiers.ValidateVersion(version);
        var parsed = Parse(samples);
        await ops.GetDeploymentAsync(service); // unknown service: 404, nothing published
        var stream = SampleStream.For(client.GetStreamProvider(Names.StreamProvider), service);
        try
        {
            await SampleStream.PublishAsync(stream, version, parsed);
        }
        catch (InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                detail: "samples: the metrics stream is full; retry shortly");
        }
        return TypedResults.Accepted((string?)null, new SamplesAccepted(service, version, parsed.Length));
    }

    private static Sample[] Parse(SampleDto[]? samples)
    {
        if (samples is null || samples.Length == 0)
            throw new AviaryValidationException("samples", "must be a non-empty JSON array of {\"ok\": bool, \"latencyMs\": number}");
        if (samples.Length > MaxSamplesPerRequest)
            throw new AviaryValidationException("samples", $"at most {MaxSamplesPerRequest} per request");
        var parsed = new Sample[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = samples[i] ?? throw new AviaryValidationException($"samples[{i}]", "must be an object");
            if (s.Ok is not { } ok)
                throw new AviaryValidationException($"samples[{i}].ok", "is required (true or false)");
            if (s.LatencyMs is not { } latency || !double.IsFinite(latency) || latency < 0)
                throw new AviaryValidationException($"samples[{i}].latencyMs", "is required and must be a number ≥ 0");
            parsed[i] = new Sample(ok, latency);
        }
        return parsed;
    }
}

public sealed record DeploymentStatus(DeploymentView Deployment, RolloutView? Rollout);

public sealed record SamplesAccepted(string Service, string Version, int Accepted);

using Aviary.Deployments;
using System.Security.Claims;
using Aviary.Errors;
using Aviary.Guardrails;
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
            Identifiers.ValidateReason(reason);
            return ops.PromoteAsync(service, full ?? false);
        });
        operate.MapPost("/{service}/pause", (string service, string? reason, RolloutOperations ops) => ops.PauseAsync(service, Identifiers.ValidateReason(reason)));
        operate.MapPost("/{service}/resume", (string service, string? reason, RolloutOperations ops) =>
        {
            Identifiers.ValidateReason(reason);
            return ops.ResumeAsync(service);
        });
        operate.MapPost("/{service}/abort", (string service, string? reason, RolloutOperations ops) => ops.AbortAsync(service, Identifiers.ValidateReason(reason)));
        operate.MapPost("/{service}/undo", (string service, string? reason, RolloutOperations ops) =>
        {
            Identifiers.ValidateReason(reason);
            return ops.UndoAsync(service);
        });
        operate.MapPost("/{service}/approve", (string service, string? reason, RolloutOperations ops, ClaimsPrincipal user) =>
        {
            Identifiers.ValidateReason(reason);
            return ops.ApproveAsync(service, user.Caller());
        });
        return api;
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

    private static async Task<Ok<DeployResult>> DeployAsync(string service, string version, DeployRequest? body, RolloutOperations ops, ClaimsPrincipal user)
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
        var after = body?.After ?? [];
        if (after.Length > DeployCommand.MaxAfter)
            throw new AviaryValidationException("after", $"at most {DeployCommand.MaxAfter} releases");
        var freezeOverride = body?.FreezeOverride;
        if (freezeOverride is not null)
        {
            if (Identifiers.ValidateReason(freezeOverride, "freezeOverride").Length == 0)
                throw new AviaryValidationException("freezeOverride", "must give the reason for deploying inside a freeze window");
            if (!user.IsInRole(AviaryRole.Admin.Name()))
                throw new AviaryForbiddenException("freezeOverride", "only an admin may deploy inside a freeze window");
        }
        return TypedResults.Ok(await ops.DeployAsync(service, new DeployCommand
        {
            Version = version,
            Destinations = body?.To ?? [],
            Policy = policy,
            After = [.. after.Select((a, i) => ReleaseRef.Parse(a, $"after[{i}]"))],
            FreezeOverride = freezeOverride?.Trim(),
            RequestedBy = user.Caller(),
        }));
    }

    private static async Task<Results<Accepted<SamplesAccepted>, ProblemHttpResult>> PostSamplesAsync(
        string service, string version, SampleDto[]? samples, RolloutOperations ops, IClusterClient client, SampleReporterLimits limits, HttpContext context)
    {
        Identifiers.ValidateVersion(version);
        var parsed = Parse(samples);
        var deployment = await ops.GetDeploymentAsync(service); // unknown service: 404, nothing published
        var deployed = Deployed(deployment);
        if (!deployed.Contains(version))
            throw new AviaryConflictException("version", $"'{version}' is not deployed in '{service}' (deployed: {string.Join(", ", deployed)}); samples are taken only for versions the service routes to");
        var reporter = context.User.Caller();
        if (!limits.TryTake(reporter, parsed.Length, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            var rule = $"a reporter may post at most {limits.Options.SamplesPerSecond} samples a second, {limits.Options.SamplesBurst} at once: retry in {seconds} s";
            context.Items[Audit.AuditMiddleware.ReasonKey] = $"samples: {rule}";
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(ApiProblems.Of(StatusCodes.Status429TooManyRequests, "Too many samples", "samples", rule));
        }
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

    /// <summary>The versions a service routes to: stable, canary, the earlier stables undo restores, a split's.</summary>
    private static string[] Deployed(DeploymentView deployment) =>
        [.. new[] { deployment.StableVersion, deployment.CanaryVersion, deployment.PreviousStableVersion }
            .Concat(deployment.Targets.Select(t => t.Version))
            .Concat(deployment.Split.Select(s => s.Version))
            .OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)];

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

namespace Aviary.ModelServer;

/// <summary><c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (every configured version and ensemble is loaded).</summary>
public static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/healthz");
        group.MapGet("/live", () => Results.Ok(new { status = "live" }));
        group.MapGet("/ready", Ready);
        return group;
    }

    public static IResult Ready(ModelVersions versions)
    {
        var waiting = new List<string>();
        foreach (var name in versions.Configured)
        {
            var state = versions.Peek(name);
            if (state is null)
                waiting.Add($"{name}: not loaded yet");
            else if (state.Status != VersionStatus.Ready)
                waiting.Add($"{name}: {state.Reason}");
        }
        return waiting.Count == 0
            ? Results.Ok(new { status = "ready", versions = versions.Configured.ToArray() })
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: string.Join("; ", waiting));
    }
}

using Microsoft.AspNetCore.Http;

namespace Aviary.Gateway;

/// <summary>The gateway's own answers (RFC 9457 problem details), for requests it cannot route.</summary>
public static class GatewayProblems
{
    private const int MaxEcho = 100;

    /// <summary>404: no service is routed for the request's host and path.</summary>
    public static Task UnknownServiceAsync(HttpContext context) =>
        Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown service",
            detail: $"no service is routed for host '{Echo(context.Request.Host.Host)}' and path '{Echo(context.Request.Path.Value)}'",
            extensions: new Dictionary<string, object?> { ["field"] = "host", ["rule"] = "must name a service's host or path prefix" })
        .ExecuteAsync(context);

    /// <summary>503: the service exists but no version of it has destinations the gateway can send to.</summary>
    public static Task NoVersionAsync(HttpContext context, string service) =>
        Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "No version to route to",
            detail: $"service '{service}' has no version with destinations (deploy one with --to URL)",
            extensions: new Dictionary<string, object?> { ["field"] = "to", ["rule"] = "a version needs at least one destination to take traffic" })
        .ExecuteAsync(context);

    private static string Echo(string? text)
    {
        text ??= "";
        var clean = new string(text.Where(c => !char.IsControl(c)).Take(MaxEcho).ToArray());
        return text.Length > MaxEcho ? clean + "…" : clean;
    }
}

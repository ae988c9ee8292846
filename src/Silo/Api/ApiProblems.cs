using Microsoft.AspNetCore.Mvc;

namespace Aviary.Silo.Api;

/// <summary>The API's RFC 9457 problem: a detail of <c>field: rule</c>, and both as extensions a client can read.</summary>
public static class ApiProblems
{
    public static ProblemDetails Of(int status, string title, string field, string rule)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = $"{field}: {rule}" };
        problem.Extensions["field"] = field;
        problem.Extensions["rule"] = rule;
        return problem;
    }

    /// <summary>Writes <paramref name="problem"/> as <c>application/problem+json</c>, for the steps that answer before any endpoint runs.</summary>
    public static Task WriteAsync(HttpResponse response, ProblemDetails problem, CancellationToken cancellationToken) =>
        response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);

    /// <summary>
    /// An answer of the API that the framework gives without a body (an unsupported content
    /// type, an unknown route, a method the route does not take) becomes a problem naming the
    /// field and the rule, as every other refusal is.
    /// </summary>
    public static IApplicationBuilder UseApiStatusProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (!http.Request.Path.StartsWithSegments("/api"))
                return;
            var status = http.Response.StatusCode;
            var (title, field, rule) = status switch
            {
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", "content-type", "must be application/json"),
                StatusCodes.Status404NotFound => ("Not found", "path", $"no endpoint {http.Request.Path}"),
                StatusCodes.Status405MethodNotAllowed => ("Method not allowed", "method", $"{http.Request.Method} is not an operation of {http.Request.Path}"),
                _ => ("Refused", "request", $"answered {status}"),
            };
            await WriteAsync(http.Response, Of(status, title, field, rule), http.RequestAborted);
        });
}

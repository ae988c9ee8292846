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
}

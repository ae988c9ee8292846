using Aviary.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace Aviary.Silo.Api;

/// <summary>Turns Aviary's errors into RFC 9457 problem details naming the field and the rule.</summary>
public sealed class AviaryExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, field, rule) = exception switch
        {
            AviaryValidationException e => (StatusCodes.Status400BadRequest, "Invalid input", e.Field, e.Rule),
            AviaryNotFoundException e => (StatusCodes.Status404NotFound, "Not found", e.Field, e.Rule),
            AviaryConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Field, e.Rule),
            AviaryForbiddenException e => (StatusCodes.Status403Forbidden, "Forbidden", e.Field, e.Rule),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (e.StatusCode, "Body too large", "body", $"must be at most {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes"),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } => (StatusCodes.Status400BadRequest, "Invalid input", JsonField(json), JsonRule(json)),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "content-type", "must be application/json"),
            BadHttpRequestException e => (StatusCodes.Status400BadRequest, "Invalid input", "body", e.Message),
            _ => (0, "", "", ""),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        context.Items[Audit.AuditMiddleware.ReasonKey] = $"{field}: {rule}";
        var details = ApiProblems.Of(status, title, field, rule);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    /// <summary>The field a JSON error is about: its path (<c>$.stages[1]</c> → <c>stages[1]</c>), or the unknown property it names, or <c>body</c>.</summary>
    public static string JsonField(System.Text.Json.JsonException json)
    {
        if (UnknownProperty(json) is { } name)
            return name;
        var path = json.Path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(path) ? "body" : path;
    }

    private static string JsonRule(System.Text.Json.JsonException json) =>
        UnknownProperty(json) is not null ? "is not a field of this request"
        : json.Path is null or "$" ? "must be a JSON object of this request's fields"
        : "has the wrong type or is not a valid value (numbers must be finite; durations \"00:05:00\")";

    /// <summary>System.Text.Json names a property it cannot map in quotes: <c>The JSON property 'x' could not be mapped…</c>.</summary>
    private static string? UnknownProperty(System.Text.Json.JsonException json)
    {
        var message = json.Message;
        if (!message.Contains("could not be mapped", StringComparison.Ordinal))
            return null;
        var start = message.IndexOf('\'');
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}

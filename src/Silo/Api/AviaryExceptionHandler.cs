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
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (e.StatusCode, "Body too large", "body", $"must be at most {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes"),
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
}

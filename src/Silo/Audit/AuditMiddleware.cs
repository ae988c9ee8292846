using System.Text;
using Aviary.Security;
using Aviary.Silo.Security;

namespace Aviary.Silo.Audit;

/// <summary>
/// Records every change asked of the API (POST, PUT, PATCH, DELETE under <c>/api</c>) once its
/// answer is known, refused ones included: 401 and 403, the rate limit, and bad input with the
/// field and rule the answer named. Outermost of the pipeline, so it sees the final status.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, AuditStore store, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    /// <summary>An endpoint whose whole body is a secret: the log keeps <c>***</c> for it.</summary>
    public sealed class SecretBody;

    /// <summary>An endpoint whose route value <paramref name="Name"/> is a secret (a one-time token): the log keeps <c>***</c> in its place.</summary>
    public sealed record SecretRoute(string Name);

    /// <summary>Where an endpoint whose route names no service leaves the service it acted on, for the log.</summary>
    public const string ServiceKey = "aviary.audit.service";

    /// <summary>Where the steps that refuse a request leave their reason (<c>field: rule</c>) for the log.</summary>
    public const string ReasonKey = "aviary.audit.reason";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            await next(context);
            return;
        }
        var kept = request.ContentLength is null or <= AuditRedaction.MaxKept;
        if (kept)
            request.EnableBuffering();
        // Taken now: the exception handler clears the endpoint and route values before it answers.
        var endpoint = context.GetEndpoint();
        var service = request.RouteValues.TryGetValue("service", out var value) ? value?.ToString() : null;
        var target = Target(context, endpoint);
        try
        {
            await next(context);
        }
        finally
        {
            await RecordAsync(context, endpoint, service, target, kept);
        }
    }

    private async Task RecordAsync(HttpContext context, Endpoint? endpoint, string? service, string target, bool kept)
    {
        var status = context.Response.StatusCode;
        try
        {
            var body = endpoint?.Metadata.GetMetadata<SecretBody>() is not null ? AuditRedaction.Hidden
                : kept ? await BodyAsync(context.Request)
                : $"({context.Request.ContentLength} bytes, not kept)";
            var entry = new AuditEntry(
                0,
                time.GetUtcNow(),
                context.User.Identity?.IsAuthenticated == true ? context.User.Caller() : "anonymous",
                context.Request.Method,
                (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "",
                service ?? (context.Items.TryGetValue(ServiceKey, out var named) ? named as string : null),
                target,
                body,
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                status,
                status < 400 ? AuditEntry.Accepted : AuditEntry.Refused,
                status < 400 ? null : Reason(context, status, endpoint));
            await store.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, context.Request.Method, context.Request.Path.Value ?? "", status);
        }
    }

    /// <summary>
    /// The request's path, a secret route value in it replaced by <c>***</c>, and its query:
    /// operators' reasons (<c>?reason=</c>) are kept with the change, secrets hidden.
    /// </summary>
    private static string Target(HttpContext context, Endpoint? endpoint)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (endpoint?.Metadata.GetMetadata<SecretRoute>() is { } secret && request.RouteValues[secret.Name] is string value && value.Length > 0)
            path = path.Replace(Uri.EscapeDataString(value), AuditRedaction.Hidden, StringComparison.Ordinal).Replace(value, AuditRedaction.Hidden, StringComparison.Ordinal);
        return path + (request.QueryString.HasValue ? AuditRedaction.Redact(request.QueryString.Value!, json: false) : "");
    }

    private static string Reason(HttpContext context, int status, Endpoint? endpoint)
    {
        if (context.Items.TryGetValue(ReasonKey, out var reason) && reason is string given)
            return given;
        return status switch
        {
            StatusCodes.Status401Unauthorized => "no valid credential",
            StatusCodes.Status403Forbidden => $"needs the role {AviaryAuth.RequiredRole(endpoint?.Metadata ?? []).Name()}",
            StatusCodes.Status404NotFound => "no such endpoint",
            _ => $"answered {status}",
        };
    }

    private static async Task<string?> BodyAsync(HttpRequest request)
    {
        if (!request.Body.CanSeek)
            return null;
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var buffer = new char[AuditRedaction.MaxKept + 1];
        var read = await reader.ReadBlockAsync(buffer, CancellationToken.None);
        if (read == 0)
            return null;
        var json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        return AuditRedaction.Redact(new string(buffer, 0, read), json);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Audit entry not recorded for {Method} {Path} ({Status})")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string method, string path, int status);
}

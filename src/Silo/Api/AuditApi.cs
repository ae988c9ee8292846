using System.Globalization;
using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Audit;
using Aviary.Silo.Security;

namespace Aviary.Silo.Api;

/// <summary><c>GET /api/audit</c> (admin): the changes asked of the API, newest first.</summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", QueryAsync).RequireRole(AviaryRole.Admin);
        return app;
    }

    /// <summary><paramref name="since"/>: an instant (ISO 8601) or a duration back from now (<c>24h</c>, <c>30m</c>); default: the whole retention.</summary>
    private static Task<AuditEntry[]> QueryAsync(string? service, string? since, int? limit, AuditStore store, AuditOptions options, TimeProvider time, HttpContext context)
    {
        if (service is not null)
            Identifiers.ValidateService(service);
        var now = time.GetUtcNow();
        var from = since switch
        {
            null or "" => now - options.Retention,
            _ when DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
            _ => now - Durations.Parse("since", since),
        };
        if (limit is < 1 or > AuditStore.MaxQueryRows)
            throw new AviaryValidationException("limit", $"must be 1 to {AuditStore.MaxQueryRows}");
        return store.QueryAsync(service, from, limit ?? DefaultLimit, context.RequestAborted);
    }
}

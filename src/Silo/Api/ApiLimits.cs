using System.Globalization;
using System.Threading.RateLimiting;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Aviary.Silo.Api;

/// <summary>How much one caller may ask of the API, section <c>Aviary:Api</c>.</summary>
public sealed class ApiLimitsOptions
{
    /// <summary>Requests a second each caller (key, token subject, or address when anonymous) may make, on average. Default 20.</summary>
    public int RequestsPerSecond { get; set; } = 20;

    /// <summary>Requests a caller may make at once above the average. Default 100.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Samples a second one reporter may post, on average: a sudden flood from one reporter is refused (429), not judged. Default 50,000.</summary>
    public int SamplesPerSecond { get; set; } = 50_000;

    /// <summary>Samples a reporter may post at once above the average; also the largest batch taken. Default 200,000.</summary>
    public int SamplesBurst { get; set; } = 200_000;
}

/// <summary>
/// Request limits: a body size per endpoint (<see cref="WithBodyLimit"/>; ASP.NET Core's routing
/// applies it, Kestrel enforces it while reading, the answer is 413), and a token bucket per caller
/// across the API (429 with <c>Retry-After</c>). Health is never limited.
/// </summary>
public static class ApiLimits
{
    /// <summary>A JSON command or settings body.</summary>
    public const long SmallBody = 64 * 1024;

    /// <summary>A batch of samples: 100,000 at about 40 bytes each, with room.</summary>
    public const long SamplesBody = 8 * 1024 * 1024;

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(bytes));

    public static IServiceCollection AddAviaryRateLimits(this IServiceCollection services, ApiLimitsOptions limits) =>
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                var response = rejected.HttpContext.Response;
                rejected.HttpContext.Items[Audit.AuditMiddleware.ReasonKey] = $"caller: at most {limits.RequestsPerSecond} requests a second, {limits.Burst} at once";
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var rule = $"at most {limits.RequestsPerSecond} requests a second, {limits.Burst} at once: retry in {seconds} s";
                await ApiProblems.WriteAsync(response, ApiProblems.Of(StatusCodes.Status429TooManyRequests, "Too many requests", "caller", rule), cancellationToken);
            };
        });

    /// <summary>
    /// Refuses a body whose declared length is over the endpoint's limit before anything reads it,
    /// with a problem naming the limit (Kestrel alone answers an empty 413).
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
                && context.Request.ContentLength > limit)
            {
                var rule = $"must be at most {limit} bytes (got {context.Request.ContentLength})";
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Items[Audit.AuditMiddleware.ReasonKey] = $"body: {rule}";
                await ApiProblems.WriteAsync(context.Response, ApiProblems.Of(StatusCodes.Status413PayloadTooLarge, "Body too large", "body", rule), context.RequestAborted);
                return;
            }
            await next(context);
        });

    /// <summary>Whom a request counts against: the authenticated caller, else its address.</summary>
    private static string CallerOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.Caller() : "address:" + context.Connection.RemoteIpAddress;
}

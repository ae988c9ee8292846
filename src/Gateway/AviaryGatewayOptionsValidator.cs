using Aviary.Errors;
using Microsoft.Extensions.Options;

namespace Aviary.Gateway;

/// <summary>Names the first bad gateway setting, so a misconfigured process stops with one clear line.</summary>
public sealed class AviaryGatewayOptionsValidator : IValidateOptions<AviaryGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, AviaryGatewayOptions options) =>
        FirstFailure(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    public static string? FirstFailure(AviaryGatewayOptions o)
    {
        const string s = AviaryGatewayOptions.Section;
        if (o.Port is < 1 or > 65535)
            return $"{s}:Port: must be a port between 1 and 65535 (got {o.Port})";
        if (string.IsNullOrWhiteSpace(o.Host))
            return $"{s}:Host: must not be empty";
        if (o.ReconcileInterval < TimeSpan.FromMilliseconds(100) || o.ReconcileInterval > TimeSpan.FromMinutes(10))
            return $"{s}:ReconcileInterval: must be between 100 ms and 10 minutes";
        if (o.FlushInterval < TimeSpan.FromMilliseconds(10) || o.FlushInterval > TimeSpan.FromMinutes(1))
            return $"{s}:FlushInterval: must be between 10 ms and 1 minute";
        if (o.MaxPendingOutcomes < 1_000)
            return $"{s}:MaxPendingOutcomes: must be at least 1000 (got {o.MaxPendingOutcomes})";
        if (o.UpstreamTimeout < TimeSpan.FromMilliseconds(100) || o.UpstreamTimeout > TimeSpan.FromHours(1))
            return $"{s}:UpstreamTimeout: must be between 100 ms and 1 hour";
        try
        {
            ErrorStatuses.Parse(o.ErrorStatuses);
        }
        catch (AviaryValidationException ex)
        {
            return $"{s}:ErrorStatuses: {ex.Rule}";
        }
        if (string.IsNullOrWhiteSpace(o.StickyCookie) || o.StickyCookie.Any(c => char.IsControl(c) || c is ' ' or ';' or ',' or '='))
            return $"{s}:StickyCookie: must be a cookie name (no spaces, ';', ',' or '=')";
        if (o.LoadBalancingPolicy is not ("PowerOfTwoChoices" or "RoundRobin" or "LeastRequests" or "Random" or "FirstAlphabetical"))
            return $"{s}:LoadBalancingPolicy: must be PowerOfTwoChoices, RoundRobin, LeastRequests, Random or FirstAlphabetical (got '{o.LoadBalancingPolicy}')";
        if (o.HealthCheckPath.Length > 0 && !o.HealthCheckPath.StartsWith('/'))
            return $"{s}:HealthCheckPath: must be empty or start with '/' (got '{o.HealthCheckPath}')";
        if (o.HealthCheckInterval < TimeSpan.FromMilliseconds(100))
            return $"{s}:HealthCheckInterval: must be at least 100 ms";
        return null;
    }
}

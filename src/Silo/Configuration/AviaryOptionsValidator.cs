using Aviary.Silo.Storage;
using Microsoft.Extensions.Options;

namespace Aviary.Silo.Configuration;

/// <summary>Names the first bad setting, so a misconfigured silo stops with one clear line.</summary>
public sealed class AviaryOptionsValidator : IValidateOptions<AviaryOptions>
{
    public ValidateOptionsResult Validate(string? name, AviaryOptions options)
    {
        var failure = FirstFailure(options);
        return failure is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failure);
    }

    public static string? FirstFailure(AviaryOptions o)
    {
        if (o.Profile is not (StorageProfiles.Embedded or StorageProfiles.Cluster))
            return $"Aviary:Profile: must be '{StorageProfiles.Embedded}' or '{StorageProfiles.Cluster}' (got '{o.Profile}')";
        if (o.IsCluster)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                return "Aviary:ConnectionString: must be set for the cluster profile (a PostgreSQL connection string, e.g. Host=db;Username=aviary;Password=...;Database=aviary)";
            if (PostgresConnection.Problem(o.ConnectionString) is { } problem)
                return $"Aviary:ConnectionString: {problem}";
        }
        if (o.Schema is not (SchemaModes.Apply or SchemaModes.Verify))
            return $"Aviary:Schema: must be '{SchemaModes.Apply}' or '{SchemaModes.Verify}' (got '{o.Schema}')";
        if (!string.IsNullOrWhiteSpace(o.AdvertisedAddress) && !System.Net.IPAddress.TryParse(o.AdvertisedAddress, out _))
            return $"Aviary:AdvertisedAddress: must be an IP address (got '{o.AdvertisedAddress}')";
        if (o.ProbeTimeout < TimeSpan.FromMilliseconds(100))
            return "Aviary:ProbeTimeout: must be at least 100 ms";
        if (o.MissedProbesLimit < 1)
            return $"Aviary:MissedProbesLimit: must be at least 1 (got {o.MissedProbesLimit})";
        if (o.DatabaseWait < TimeSpan.Zero)
            return "Aviary:DatabaseWait: must not be negative";
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
            return "Aviary:DataDirectory: must not be empty";
        if (SqliteDurabilities.Parse(o.Durability) is null)
            return $"Aviary:Durability: must be '{SqliteDurabilities.Full}' or '{SqliteDurabilities.Process}' (got '{o.Durability}')";
        foreach (var (setting, port) in new[] { ("SiloPort", o.SiloPort), ("GatewayPort", o.GatewayPort), ("HttpPort", o.HttpPort) })
        {
            if (port is < 1 or > 65535)
                return $"Aviary:{setting}: must be a port between 1 and 65535 (got {port})";
        }
        if (o.SiloPort == o.GatewayPort || o.SiloPort == o.HttpPort || o.GatewayPort == o.HttpPort)
            return "Aviary:SiloPort, GatewayPort, HttpPort: must be three different ports";
        if (string.IsNullOrWhiteSpace(o.HttpHost))
            return "Aviary:HttpHost: must not be empty";
        if (o.LogFormat is not ("text" or "json"))
            return $"Aviary:LogFormat: must be 'text' or 'json' (got '{o.LogFormat}')";
        if (string.IsNullOrWhiteSpace(o.ServiceId))
            return "Aviary:ServiceId: must not be empty";
        if (string.IsNullOrWhiteSpace(o.ClusterId))
            return "Aviary:ClusterId: must not be empty";
        if (Aviary.Grains.GrainTimingOptionsValidator.ReminderPeriodFailure(o.ReminderPeriod) is { } reminder)
            return reminder;
        if (o.Audit.Retention < TimeSpan.FromHours(1))
            return "Aviary:Audit:Retention: must be at least an hour (01:00:00)";
        if (o.Api.RequestsPerSecond < 1)
            return $"Aviary:Api:RequestsPerSecond: must be at least 1 (got {o.Api.RequestsPerSecond})";
        if (o.Api.Burst < 1)
            return $"Aviary:Api:Burst: must be at least 1 (got {o.Api.Burst})";
        if (o.Api.SamplesPerSecond < 1)
            return $"Aviary:Api:SamplesPerSecond: must be at least 1 (got {o.Api.SamplesPerSecond})";
        if (o.Api.SamplesBurst < 1)
            return $"Aviary:Api:SamplesBurst: must be at least 1 (got {o.Api.SamplesBurst})";
        if (o.Feeds.Validate() is { } feeds)
            return feeds;
        if (o.Tls.FirstFailure() is { } tls)
            return tls;
        if (o.PublicUrl.Length > 0 && (!Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var publicUrl) || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps)))
            return $"Aviary:PublicUrl: must be an absolute http or https URL (got '{o.PublicUrl}')";
        if (o.Webhooks.FirstFailure() is { } webhooks)
            return webhooks;
        return AuthFailure(o);
    }

    private static string? AuthFailure(AviaryOptions o)
    {
        var auth = o.Auth;
        if (!auth.Enabled && !o.HttpIsLoopback)
            return $"Aviary:Auth:Enabled: authentication is off, so HTTP must listen on this machine only (Aviary:HttpHost is '{o.HttpHost}'): turn authentication on, or listen on localhost";
        // Never the key itself in the message: it is a secret.
        if (auth.AdminKey.Length > 0 && !Aviary.Security.ApiKeyToken.TryParse(auth.AdminKey, out _))
            return "Aviary:Auth:AdminKey: must be an API key: avk_, 12 lower-case hex digits, '_', then 40 to 64 letters, digits, '-' or '_'";
        if (auth.Jwt.IsOn)
        {
            if (!Uri.TryCreate(auth.Jwt.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && (auth.Jwt.RequireHttpsMetadata || authority.Scheme != Uri.UriSchemeHttp)))
                return $"Aviary:Auth:Jwt:Authority: must be an absolute https URL (http only with RequireHttpsMetadata false) (got '{auth.Jwt.Authority}')";
            if (string.IsNullOrWhiteSpace(auth.Jwt.Audience))
                return "Aviary:Auth:Jwt:Audience: must be set when Authority is";
            if (string.IsNullOrWhiteSpace(auth.Jwt.RoleClaim))
                return "Aviary:Auth:Jwt:RoleClaim: must not be empty";
        }
        return null;
    }
}

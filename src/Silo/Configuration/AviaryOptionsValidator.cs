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
        if (o.Profile != StorageProfiles.Embedded)
            return $"Aviary:Profile: must be '{StorageProfiles.Embedded}' (got '{o.Profile}')";
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
            return "Aviary:DataDirectory: must not be empty";
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
        if (o.ReminderPeriod < TimeSpan.FromSeconds(1))
            return "Aviary:ReminderPeriod: must be at least 1 second";
        return null;
    }
}

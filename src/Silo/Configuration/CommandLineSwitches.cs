namespace Aviary.Silo.Configuration;

/// <summary>Short command-line names for the settings people change most.</summary>
public static class CommandLineSwitches
{
    public static readonly Dictionary<string, string> Map = new()
    {
        ["--profile"] = "Aviary:Profile",
        ["--data-dir"] = "Aviary:DataDirectory",
        ["--durability"] = "Aviary:Durability",
        ["--silo-port"] = "Aviary:SiloPort",
        ["--gateway-port"] = "Aviary:GatewayPort",
        ["--http-port"] = "Aviary:HttpPort",
        ["--http-host"] = "Aviary:HttpHost",
        ["--log-format"] = "Aviary:LogFormat",
        ["--service-id"] = "Aviary:ServiceId",
        ["--cluster-id"] = "Aviary:ClusterId",
        ["--reminder-period"] = "Aviary:ReminderPeriod",
        ["--connection-string"] = "Aviary:ConnectionString",
        ["--schema"] = "Aviary:Schema",
        ["--advertised-address"] = "Aviary:AdvertisedAddress",
        ["--probe-timeout"] = "Aviary:ProbeTimeout",
        ["--missed-probes-limit"] = "Aviary:MissedProbesLimit",
        ["--database-wait"] = "Aviary:DatabaseWait",
        ["--traffic-port"] = "Aviary:Gateway:Port",
        ["--traffic-host"] = "Aviary:Gateway:Host",
        ["--embedded-gateway"] = "Aviary:Gateway:Enabled",
        ["--reconcile-interval"] = "Aviary:Gateway:ReconcileInterval",
        ["--auth"] = "Aviary:Auth:Enabled",
        ["--admin-key-file"] = "Aviary:Auth:AdminKeyFile",
    };
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Harness.Orleans;

/// <summary><c>host:port</c> of a silo gateway.</summary>
public static class GatewayAddress
{
    public const string Default = "localhost:30000";
    public const string EnvironmentVariable = "AVIARY_GATEWAY";
    public const string ConnectionStringVariable = "AVIARY_CONNECTION_STRING";

    /// <summary><c>host:port[,host:port...]</c>: the client moves to another gateway when one goes away.</summary>
    public static IPEndPoint[] ResolveList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            throw new ArgumentException("must name at least one host:port");
        return parts.Select(Resolve).ToArray();
    }

    public static IPEndPoint Resolve(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"must be host:port with a port between 1 and 65535 (got '{text}')");
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip))
            return new IPEndPoint(ip, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null
                ? throw new ArgumentException($"host '{host}' has no address")
                : new IPEndPoint(chosen, port);
        }
        catch (SocketException)
        {
            throw new ArgumentException($"host '{host}' cannot be resolved");
        }
    }
}

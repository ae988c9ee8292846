using System.Net;
using System.Net.Sockets;

namespace Aviary.Harness;

public static class FreePorts
{
    /// <summary>Ports the OS just handed out on loopback, released for the caller to bind.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners)
            l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners)
            l.Stop();
        return ports;
    }
}

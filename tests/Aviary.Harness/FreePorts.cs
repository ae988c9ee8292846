using System.Net;
using System.Net.Sockets;

namespace Aviary.Harness;

public static class FreePorts
{
    // Ports already handed out in this test run: a port released for a silo to bind may be handed
    // out again by the OS before that silo binds it, so this run never hands one out twice.
    private static readonly HashSet<int> Given = [];

    /// <summary>Ports the OS just handed out on loopback, released for the caller to bind; never one given before in this run.</summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        var held = new List<TcpListener>();
        try
        {
            while (ports.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                held.Add(listener); // held until all are chosen: no duplicate within one call either
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                lock (Given)
                {
                    if (Given.Add(port))
                        ports.Add(port);
                }
            }
            return [.. ports];
        }
        finally
        {
            foreach (var listener in held)
                listener.Stop();
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Client.Traffic;

/// <summary>What the demo's child processes (upstreams, the model server) share: a free loopback port, and a kill that waits.</summary>
internal static class ChildProcesses
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}

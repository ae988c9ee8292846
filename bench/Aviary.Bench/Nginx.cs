using System.Diagnostics;
using System.Globalization;
using Aviary.Harness;

namespace Aviary.Bench;

/// <summary>
/// Debian's nginx as a canary router for comparison: two upstream groups (the same server here)
/// and <c>split_clients</c> sending 10 % of requests to the canary, keep-alive to the upstream,
/// no access log. A prefix directory of its own; stopped on dispose.
/// </summary>
public sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private Nginx(Process process, string prefix, Uri url)
    {
        _process = process;
        _prefix = prefix;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<Nginx> StartAsync(string upstream)
    {
        var prefix = Directory.CreateTempSubdirectory("aviary-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = FreePorts.Take(1)[0];
        var server = new Uri(upstream).Authority;
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
            worker_processes auto;
            daemon off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                upstream stable { server {{server}}; keepalive 128; }
                upstream canary { server {{server}}; keepalive 128; }
                split_clients "${remote_addr}${remote_port}${request_id}" $version { 10% canary; * stable; }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://$version;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """));
        var process = Process.Start(new ProcessStartInfo("nginx", ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("nginx did not start (apt-get install nginx-light)");
        await Task.Delay(300);
        if (process.HasExited)
            throw new InvalidOperationException($"nginx exited: {File.ReadAllText(Path.Combine(prefix, "logs", "error.log"))}");
        return new Nginx(process, prefix, new Uri($"http://127.0.0.1:{port}"));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS's temp cleaning
        }
    }
}

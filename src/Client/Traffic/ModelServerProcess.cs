using System.Diagnostics;

namespace Aviary.Client.Traffic;

/// <summary>
/// A real process of the model server (src/ModelServer) on a free loopback port, serving one
/// model's registered versions at <c>/v/{version}/predict</c>: it fetches them from the Aviary API
/// with an operator key and reports what it saw back. Killed on dispose.
/// </summary>
public sealed class ModelServerProcess : IAsyncDisposable
{
    public const string Dll = "Aviary.ModelServer.dll";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ModelServerProcess(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public static async Task<ModelServerProcess> StartAsync(string model, Uri api, string apiKey, string cacheDirectory, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, Dll);
        if (!File.Exists(dll))
            throw new FileNotFoundException($"the model server is not built beside aviary: {dll}");
        var port = ChildProcesses.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            dll, "--urls", $"http://127.0.0.1:{port}",
            "--Aviary:ModelServer:Model", model,
            "--Aviary:ModelServer:ApiUrl", api.ToString().TrimEnd('/'),
            "--Aviary:ModelServer:CacheDirectory", cacheDirectory,
        })
        {
            info.ArgumentList.Add(arg);
        }
        // The key goes by environment, not the command line other users can read.
        info.Environment["Aviary__ModelServer__ApiKey"] = apiKey;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the model server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ModelServerProcess(process, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(2) };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            while (true)
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"the model server exited at start (code {process.ExitCode})");
                try
                {
                    if ((await http.GetAsync("/healthz/live", deadline.Token)).IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(100, deadline.Token);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public ValueTask DisposeAsync() => ChildProcesses.StopAsync(_process);
}

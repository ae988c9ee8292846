using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aviary.Client.Traffic;
using Aviary.Harness;
using Aviary.Models;

namespace Aviary.Bench;

/// <summary>
/// A model served the way an operator serves one, on real processes: the silo (its gateway
/// included); houses v1 trained by a workflow run of examples/ml-lifecycle/train.yaml and
/// registered; a model server process that fetches it from the registry with an operator key;
/// the service routed to it at 100 %. Both ways in answer 200 before this is returned.
/// </summary>
public sealed class ServedModel : IAsyncDisposable
{
    public const string Name = "houses";
    private const string Version = "v1";
    private const string Run = "houses-bench-train";

    private readonly string _cache;

    private ServedModel(EmbeddedSilo silo, ModelServerProcess server, string cache) =>
        (Silo, Server, _cache) = (silo, server, cache);

    public EmbeddedSilo Silo { get; }

    public ModelServerProcess Server { get; }

    /// <summary>The model server reached directly.</summary>
    public Uri Direct => new($"{Server.Url}/v/{Version}/predict");

    /// <summary>The silo's gateway, to be asked with <c>Host: houses</c>.</summary>
    public Uri Gateway => new(Silo.Traffic, "/predict");

    public static async Task<ServedModel> StartAsync(string prediction)
    {
        var silo = await EmbeddedSilo.StartAsync();
        var cache = Directory.CreateTempSubdirectory("aviary-bench-model-cache-").FullName;
        ModelServerProcess? server = null;
        try
        {
            using var api = silo.Api();
            var dataset = (await OkAsync(await api.PostAsJsonAsync("/api/data/generate", new { kind = "houses", rows = 4_000, seed = 1, shift = 0 }))).GetProperty("path").GetString()!;
            var plan = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "train.yaml"));
            await OkAsync(await api.PostAsync($"/api/workflows/{Run}?input={Uri.EscapeDataString(dataset)}", new StringContent(plan, Encoding.UTF8, "application/yaml")));
            var status = await Poll.UntilAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/workflows/{Run}")).GetProperty("status").GetString(),
                s => s != "running", $"training run {Run}", TimeSpan.FromMinutes(3));
            if (status != "succeeded")
                throw new InvalidOperationException($"training run {Run} ended {status}");
            var registered = (await OkAsync(await api.PostAsJsonAsync($"/api/models/{Name}/versions", new { run = Run }))).GetProperty("version").GetString();
            if (registered != Version)
                throw new InvalidOperationException($"the first version of {Name} was registered as {registered}, expected {Version}");

            var key = (await OkAsync(await api.PostAsJsonAsync("/api/keys", new { name = "bench-ms", role = "operator" }))).GetProperty("token").GetString()!;
            server = await ModelServerProcess.StartAsync(Name, silo.Http, key, cache, CancellationToken.None);
            await OkAsync(await api.PutAsJsonAsync($"/api/services/{Name}", new { hosts = new[] { Name } }));
            await OkAsync(await api.PostAsJsonAsync($"/api/deployments/{Name}/versions/{Version}", new { to = new[] { ModelServing.Destination(server.Url, Version) }, stages = new[] { 100 } }));

            var served = new ServedModel(silo, server, cache);
            using var http = new HttpClient();
            foreach (var (url, host) in new[] { (served.Direct, (string?)null), (served.Gateway, Name) })
                await Poll.UntilAsync(() => AnswersAsync(http, url, host, prediction), $"a 200 from POST {url} (Host: {host ?? url.Authority})");
            return served;
        }
        catch
        {
            if (server is not null)
                await server.DisposeAsync();
            await silo.DisposeAsync();
            Directory.Delete(cache, recursive: true);
            throw;
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url, string? host, string prediction)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(prediction, Encoding.UTF8, "application/json") };
        if (host is not null)
            request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Silo.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }
}

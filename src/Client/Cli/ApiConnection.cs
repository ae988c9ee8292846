using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aviary.Errors;

namespace Aviary.Client.Cli;

/// <summary>
/// The console as a client of the silo's HTTP API: the server (<c>--server</c>, <c>$AVIARY_SERVER</c>,
/// default <see cref="DefaultServer"/>) and the credential (<c>--token</c>, <c>$AVIARY_TOKEN</c>, a
/// token file from <c>--token-file</c> or <c>$AVIARY_TOKEN_FILE</c>, else the admin key a silo on
/// this machine wrote at its first start). The API's problem details come back as the errors the
/// console already turns into exit codes; 401 and 403 as <see cref="NotAllowedException"/>.
/// </summary>
public sealed class ApiConnection : IDisposable
{
    public const string DefaultServer = "http://localhost:8080";

    /// <summary>Where a silo started from the repository (or in the current folder) keeps its first admin key.</summary>
    public static readonly string[] DefaultTokenFiles = ["data/admin.key", "src/Silo/data/admin.key", "../Silo/data/admin.key"];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http;
    private readonly Uri[] _servers;
    private int _current;

    /// <param name="servers">Silos to ask, in order: when one cannot be reached the next is tried (and kept).</param>
    public ApiConnection(Uri[] servers, string? token)
    {
        _servers = servers;
        // Live feeds stay open for as long as a watch lasts: each plain request has its own timeout instead.
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (token is { Length: > 0 })
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public ApiConnection(Uri server, string? token) : this([server], token)
    {
    }

    /// <summary>How long one request may take before the next silo is tried (a live feed is not bound by it).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>The silo answering now.</summary>
    public Uri Server => _servers[Volatile.Read(ref _current)];

    private string Servers => string.Join(", ", _servers.Select(s => s.ToString().TrimEnd('/')));

    /// <summary>The servers and credential from flags, then the environment, then the defaults.</summary>
    public static ApiConnection Resolve(string? server, string? token, string? tokenFile)
    {
        var text = server ?? Environment.GetEnvironmentVariable("AVIARY_SERVER") ?? DefaultServer;
        var servers = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(url =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new AviaryValidationException("server", $"must be absolute http or https URLs, comma-separated (got '{url}')")).ToArray();
        if (servers.Length == 0)
            throw new AviaryValidationException("server", "must name at least one URL");
        var credential = token ?? Environment.GetEnvironmentVariable("AVIARY_TOKEN");
        if (string.IsNullOrWhiteSpace(credential))
        {
            var file = tokenFile ?? Environment.GetEnvironmentVariable("AVIARY_TOKEN_FILE");
            if (file is not null && !File.Exists(file))
                throw new AviaryValidationException("token-file", $"'{file}' does not exist");
            file ??= DefaultTokenFiles.FirstOrDefault(File.Exists);
            credential = file is null ? null : File.ReadAllText(file).Trim();
        }
        return new ApiConnection(servers, credential);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        await ReadAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public async Task<T> PutAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        await ReadAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    public async Task<T> DeleteAsync<T>(string path, CancellationToken cancellationToken) =>
        await ReadAsync<T>(HttpMethod.Delete, path, null, cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);
    }

    /// <summary>Sends text as it is (a plan's YAML) and reads the answer.</summary>
    public Task<T> PostTextAsync<T>(string path, string text, string mediaType, CancellationToken cancellationToken) =>
        SendTextAsync<T>(HttpMethod.Post, path, text, mediaType, cancellationToken);

    public Task<T> PutTextAsync<T>(string path, string text, string mediaType, CancellationToken cancellationToken) =>
        SendTextAsync<T>(HttpMethod.Put, path, text, mediaType, cancellationToken);

    private async Task<T> SendTextAsync<T>(HttpMethod method, string path, string text, string mediaType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(method, path) { Content = new StringContent(text, System.Text.Encoding.UTF8, mediaType) }, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private async Task<T> ReadAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json),
        }, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <summary>
    /// Opens a response that streams (a live feed): the caller reads it as long as it likes.
    /// Problems are thrown as for any request; a silo that cannot be reached passes to the next.
    /// </summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (lastEventId is not null)
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            return request;
        }, cancellationToken, streaming: true);

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, bool streaming = false)
    {
        HttpResponseMessage? response = null;
        Exception? last = null;
        var first = Volatile.Read(ref _current);
        for (var tried = 0; tried < _servers.Length && response is null; tried++)
        {
            var index = (first + tried) % _servers.Length;
            using var request = create();
            request.RequestUri = new Uri(_servers[index], request.RequestUri!.ToString());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!streaming)
                timeout.CancelAfter(RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
                Volatile.Write(ref _current, index);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError || request.Method == HttpMethod.Get)
            {
                last = ex; // nothing reached this silo (or a read): ask the next
            }
            catch (HttpRequestException ex)
            {
                // A change may have reached this silo before the connection broke: asking another
                // could make it twice. Said as unreachable; the caller reads the state again.
                throw new ServerUnreachableException(_servers[index].ToString(), ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && request.Method == HttpMethod.Get)
            {
                last = ex; // this silo took too long to answer a read: ask the next
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServerUnreachableException($"{_servers[index]} (no answer within {RequestTimeout.TotalSeconds:0} s)", ex);
            }
        }
        if (response is null)
            throw new ServerUnreachableException(Servers, last);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var (field, rule) = await ProblemAsync(response, cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new NotAllowedException($"no valid credential for {Server}: give --token, --token-file or $AVIARY_TOKEN"),
                HttpStatusCode.Forbidden => new NotAllowedException($"not allowed: {rule ?? "the key's role is too low"}"),
                HttpStatusCode.NotFound => new AviaryNotFoundException(field ?? "path", rule ?? $"{response.RequestMessage?.RequestUri} not found"),
                HttpStatusCode.Conflict => new AviaryConflictException(field ?? "state", rule ?? "refused by the current state"),
                >= HttpStatusCode.InternalServerError => new ServerUnreachableException($"{Server} (it answered {(int)response.StatusCode}{(rule is null ? "" : ": " + rule)})"),
                _ => new AviaryValidationException(field ?? "request", rule ?? $"answered {(int)response.StatusCode}"),
            };
        }
    }

    private static async Task<(string? Field, string? Rule)> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return (problem.TryGetProperty("field", out var f) ? f.GetString() : null, problem.TryGetProperty("rule", out var r) ? r.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return (null, null);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The API refused the caller: no valid credential, or a role too low (exit code 4).</summary>
public sealed class NotAllowedException(string message) : Exception(message);

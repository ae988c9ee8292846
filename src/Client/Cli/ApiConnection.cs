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

    public ApiConnection(Uri server, string? token)
    {
        Server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) };
        if (token is { Length: > 0 })
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server { get; }

    /// <summary>The server and credential from flags, then the environment, then the defaults.</summary>
    public static ApiConnection Resolve(string? server, string? token, string? tokenFile)
    {
        var url = server ?? Environment.GetEnvironmentVariable("AVIARY_SERVER") ?? DefaultServer;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new AviaryValidationException("server", $"must be an absolute http or https URL (got '{url}')");
        var credential = token ?? Environment.GetEnvironmentVariable("AVIARY_TOKEN");
        if (string.IsNullOrWhiteSpace(credential))
        {
            var file = tokenFile ?? Environment.GetEnvironmentVariable("AVIARY_TOKEN_FILE");
            if (file is not null && !File.Exists(file))
                throw new AviaryValidationException("token-file", $"'{file}' does not exist");
            file ??= DefaultTokenFiles.FirstOrDefault(File.Exists);
            credential = file is null ? null : File.ReadAllText(file).Trim();
        }
        return new ApiConnection(uri, credential);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ClusterUnreachableException($"server {Server} unreachable: {ex.Message}");
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var (field, rule) = await ProblemAsync(response, cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new NotAllowedException($"no valid credential for {Server}: give --token, --token-file or $AVIARY_TOKEN"),
                HttpStatusCode.Forbidden => new NotAllowedException($"not allowed: {rule ?? "the key's role is too low"}"),
                HttpStatusCode.NotFound => new AviaryNotFoundException(field ?? "path", rule ?? $"{request.RequestUri} not found"),
                HttpStatusCode.Conflict => new AviaryConflictException(field ?? "state", rule ?? "refused by the current state"),
                >= HttpStatusCode.InternalServerError => new ClusterUnreachableException($"server {Server} answered {(int)response.StatusCode}"),
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

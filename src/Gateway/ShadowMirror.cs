using System.Diagnostics;
using System.Security.Cryptography;
using Aviary.Metrics;
using Aviary.Routes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aviary.Gateway;

/// <summary>
/// Copies a request to a shadow version while the stable version answers the client, then
/// compares the two answers: the same status class and the same body (SHA-256) is a match. The
/// shadow's own outcome is measured as its version's, the comparison into its mirror series
/// (<see cref="MirrorSeries"/>): the rollout judges both. The shadow's answer is read and
/// dropped here: it never reaches a client. At most <see cref="MaxInFlight"/> copies are in
/// flight; past that, requests are not copied (counted), so a slow shadow never slows the gateway.
/// </summary>
public sealed partial class ShadowMirror(OutcomeRecorder outcomes, ErrorStatuses errors, AviaryGatewayOptions options, ILogger<ShadowMirror> logger) : IDisposable
{
    public const int MaxInFlight = 256;
    public const int MaxBufferedBody = 1 << 20;
    public const string ShadowHeader = "x-aviary-shadow";

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Proxy-Authorization", "Content-Length",
    };

    private readonly SemaphoreSlim _slots = new(MaxInFlight);
    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });
    private int _next;

    /// <summary>The primary's side of one copy: told the primary's status when it has answered.</summary>
    public sealed class Copy(HashingStream body, TaskCompletionSource<(int Status, byte[] Hash, double Ms)> primary)
    {
        public void PrimaryDone(HttpContext context, int status, double latencyMs)
        {
            context.Response.Body = body.Inner;
            primary.TrySetResult((status, body.Hash(), latencyMs));
            body.Dispose();
        }
    }

    /// <summary>Starts the copy of <paramref name="context"/>'s request to <paramref name="shadow"/>; null when it is not copied.</summary>
    public async Task<Copy?> StartAsync(HttpContext context, string service, VersionTarget shadow, string pathPrefix)
    {
        if (!_slots.Wait(0))
        {
            GatewayMeters.Mirrors.Add(1, new KeyValuePair<string, object?>("outcome", "skipped"));
            return null;
        }
        try
        {
            var body = await BufferBodyAsync(context.Request);
            if (body is { Length: > MaxBufferedBody })
            {
                _slots.Release();
                GatewayMeters.Mirrors.Add(1, new KeyValuePair<string, object?>("outcome", "skipped"));
                return null;
            }
            var request = CopyOf(context.Request, shadow, pathPrefix, body);
            var hashing = new HashingStream(context.Response.Body);
            context.Response.Body = hashing;
            var primary = new TaskCompletionSource<(int, byte[], double)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = CompareAsync(service, shadow.Version, request, primary.Task);
            return new Copy(hashing, primary);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private static async Task<byte[]?> BufferBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
            return null;
        if (request.ContentLength > MaxBufferedBody)
            return new byte[MaxBufferedBody + 1];
        request.EnableBuffering(MaxBufferedBody);
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return copy.ToArray();
    }

    private HttpRequestMessage CopyOf(HttpRequest request, VersionTarget shadow, string pathPrefix, byte[]? body)
    {
        var destination = shadow.Destinations[(int)((uint)Interlocked.Increment(ref _next) % (uint)shadow.Destinations.Length)];
        var path = request.Path.Value ?? "/";
        if (pathPrefix.Length > 0 && path.StartsWith(pathPrefix, StringComparison.Ordinal))
            path = path[pathPrefix.Length..];
        var message = new HttpRequestMessage(new HttpMethod(request.Method), destination.TrimEnd('/') + (path.Length == 0 ? "/" : path) + request.QueryString.Value);
        if (body is not null)
            message.Content = new ByteArrayContent(body);
        foreach (var (name, values) in request.Headers)
        {
            if (NotCopied.Contains(name))
                continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        message.Headers.TryAddWithoutValidation(ShadowHeader, "1");
        return message;
    }

    private async Task CompareAsync(string service, string version, HttpRequestMessage request, Task<(int Status, byte[] Hash, double Ms)> primary)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            int status;
            byte[]? hash = null;
            using (request)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(options.UpstreamTimeout);
                    using var response = await _http.SendAsync(request, timeout.Token);
                    status = (int)response.StatusCode;
                    hash = await SHA256.HashDataAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    status = 0; // no answer: an error of the shadow, and a mismatch
                    LogShadowFailed(logger, ex, service, version);
                }
            }
            var shadowMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var shadowOk = status != 0 && !errors.IsError(status);
            outcomes.Record(service, version, ProxyConfigBuilder.ClusterIdOf(service, version), shadowOk, shadowMs);

            var (primaryStatus, primaryHash, primaryMs) = await primary;
            var match = status != 0 && status / 100 == primaryStatus / 100 && hash is not null && hash.AsSpan().SequenceEqual(primaryHash);
            var series = MirrorSeries.Of(version);
            outcomes.Record(service, series, ProxyConfigBuilder.ClusterIdOf(service, series), match, Math.Abs(shadowMs - primaryMs));
            GatewayMeters.Mirrors.Add(1, new KeyValuePair<string, object?>("outcome", match ? "match" : "mismatch"));
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Debug, Message = "Shadow copy to {Service} {Version} got no answer")]
    private static partial void LogShadowFailed(ILogger logger, Exception exception, string service, string version);
}

using System.Diagnostics;
using System.Globalization;
using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>One HTTP attempt at a hook: the signed body, the four headers, the hook's timeout.</summary>
public sealed class WebhookCall(IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>The named client; no handler of its own retries (Polly does, in <see cref="WebhookSender"/>).</summary>
    public const string ClientName = "aviary-webhooks";

    public async Task<WebhookAttempt> SendAsync(WebhookSpec hook, WebhookNotice notice, byte[] body, string signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookHeaders.Signature, signature);
        request.Headers.Add(WebhookHeaders.Event, notice.Event);
        request.Headers.Add(WebhookHeaders.Delivery, notice.Id);
        request.Headers.Add(WebhookHeaders.Timestamp, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var started = Stopwatch.GetTimestamp();
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new WebhookAttempt((int)response.StatusCode, text.Length <= 200 ? text : text[..200], Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

using System.Globalization;
using Aviary.Grains.Webhooks;
using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>
/// Calls the gating hooks of an event at once, each signed and bounded by its own timeout, no
/// retries (the timeout is the budget: a rollout waits on it). A 2xx passes; any other answer
/// refuses, naming the hook and its answer; no answer in time, or none at all, fails. Each call
/// goes to the hook's delivery log.
/// </summary>
public sealed class WebhookGateCaller(WebhookCall call, WebhookSecrets secrets, IGrainFactory grains, WebhookLinks links, TimeProvider time) : IWebhookGate
{
    public async Task<GateAnswer> AskAsync(WebhookNotice notice, CancellationToken cancellationToken = default)
    {
        var hooks = await grains.GetGrain<IWebhookRegistryGrain>(IWebhookRegistryGrain.Key).GatesAsync(notice.Event, notice.Service ?? "");
        if (hooks.Length == 0)
            return GateAnswer.Pass;
        // Gating hooks take the JSON body only, so every hook is sent the same bytes (each signed with its own secret).
        var body = WebhookBodies.Render(links.Fill(notice), WebhookFormat.Json);
        var answers = await Task.WhenAll(hooks.Select(h => AskOneAsync(h, notice, body, cancellationToken)));
        // No answer weighs more than a refusal: it is a failed check.
        return answers.FirstOrDefault(a => a.Failed) ?? answers.FirstOrDefault(a => !a.Passed) ?? GateAnswer.Pass;
    }

    private async Task<GateAnswer> AskOneAsync(WebhookSpec hook, WebhookNotice notice, byte[] body, CancellationToken cancellationToken)
    {
        GateAnswer answer;
        WebhookAttempt? attempt = null;
        var started = time.GetUtcNow();
        try
        {
            var signature = await secrets.SignAsync(hook, body);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(hook.Timeout);
            attempt = await call.SendAsync(hook, notice, body, signature, timeout.Token);
            answer = attempt.IsSuccess ? GateAnswer.Pass : new GateAnswer
            {
                Hook = hook.Id,
                StatusCode = attempt.StatusCode,
                Body = attempt.Body,
                Reason = $"webhook '{hook.Id}' answered {attempt.StatusCode}" + (attempt.Body.Length > 0 ? $": {attempt.Body}" : ""),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            answer = new GateAnswer { Hook = hook.Id, Failed = true, Reason = $"webhook '{hook.Id}' did not answer in {Seconds(hook.Timeout)}" };
        }
        catch (HttpRequestException ex)
        {
            answer = new GateAnswer { Hook = hook.Id, Failed = true, Reason = $"webhook '{hook.Id}' could not be reached: {ex.Message}" };
        }
        grains.GetGrain<IWebhookGrain>(hook.Id).RecordAsync(new WebhookDelivery
        {
            Id = notice.Id,
            Event = notice.Event,
            At = time.GetUtcNow(),
            Delivered = answer.Passed,
            StatusCode = attempt?.StatusCode,
            Error = answer.Passed ? null : answer.Reason,
            LatencyMs = Math.Round(attempt?.LatencyMs ?? (time.GetUtcNow() - started).TotalMilliseconds, 1),
            Attempts = 1,
        }).Ignore();
        return answer;
    }

    /// <summary><c>5 s</c>, <c>0.5 s</c>.</summary>
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Aviary.Grains.Webhooks;
using Aviary.Webhooks;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Aviary.Silo.Webhooks;

/// <summary>
/// The silo's sender: takes stored events from webhook grains (<see cref="Dispatch"/> returns at
/// once), sends each with retries (Polly: exponential backoff with jitter, a timeout per attempt),
/// and reports the outcome back to the hook's grain, which logs it and drops the event from its
/// outbox. Deliveries of one hook run a few at a time, so a slow receiver holds up only its own.
/// An event whose delivery the silo's stop cut short stays in the outbox and is sent again later.
/// </summary>
public sealed partial class WebhookSender(
    WebhookCall call,
    WebhookSecrets secrets,
    IGrainFactory grains,
    IOptions<WebhookOptions> options,
    WebhookLinks links,
    TimeProvider time,
    ILogger<WebhookSender> logger) : IWebhookDispatcher, IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perHook = new(StringComparer.Ordinal);

    public void Dispatch(WebhookSpec hook, WebhookNotice notice) => _ = Task.Run(() => DeliverAsync(hook, notice));

    /// <summary>
    /// Retries on no answer, a timeout, 408, 429 and 5xx; another 4xx is the receiver's final word.
    /// <paramref name="hook"/>'s timeout bounds each attempt; its attempts bound the retries.
    /// </summary>
    public static ResiliencePipeline<WebhookAttempt> Pipeline(WebhookSpec hook, TimeSpan retryDelay)
    {
        var builder = new ResiliencePipelineBuilder<WebhookAttempt>();
        if (hook.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                MaxRetryAttempts = hook.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = new PredicateBuilder<WebhookAttempt>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(a => IsRetryable(a.StatusCode)),
            });
        }
        return builder.AddTimeout(hook.Timeout).Build();
    }

    public static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    private async Task DeliverAsync(WebhookSpec hook, WebhookNotice notice)
    {
        var gate = _perHook.GetOrAdd(hook.Id, _ => new SemaphoreSlim(options.Value.ConcurrencyPerHook));
        try
        {
            await gate.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            var outcome = await AttemptAllAsync(hook, notice);
            if (outcome is null)
                return; // the silo stops: the event stays in the outbox
            await grains.GetGrain<IWebhookGrain>(hook.Id).ReportAsync(outcome);
        }
        catch (Exception ex)
        {
            // Unreported, the event stays in the outbox and is sent again when the hook is next woken.
            LogReportFailed(logger, ex, hook.Id, notice.Id);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<WebhookDelivery?> AttemptAllAsync(WebhookSpec hook, WebhookNotice notice)
    {
        var body = WebhookBodies.Render(links.Fill(notice), hook.Format);
        var signature = await secrets.SignAsync(hook, body);
        var attempts = 0;
        var latency = 0.0;
        string? error = null;
        WebhookAttempt? last = null;
        try
        {
            last = await Pipeline(hook, options.Value.RetryDelay).ExecuteAsync(async token =>
            {
                attempts++;
                error = null;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var answer = await call.SendAsync(hook, notice, body, signature, token);
                    latency = answer.LatencyMs;
                    return answer;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    error = ex is OperationCanceledException ? Waited(hook) : $"no answer: {ex.Message}";
                    throw;
                }
            }, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            error ??= ex is TimeoutRejectedException ? Waited(hook) : $"no answer: {ex.Message}";
        }
        return new WebhookDelivery
        {
            Id = notice.Id,
            Event = notice.Event,
            At = time.GetUtcNow(),
            Delivered = last?.IsSuccess == true,
            StatusCode = last?.StatusCode,
            Error = last is { IsSuccess: false } refused ? $"answered {refused.StatusCode}: {refused.Body}" : error,
            LatencyMs = Math.Round(latency, 1),
            Attempts = attempts,
        };
    }

    private static string Waited(WebhookSpec hook) => $"no answer in {WebhookGateCaller.Seconds(hook.Timeout)}";

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }
}

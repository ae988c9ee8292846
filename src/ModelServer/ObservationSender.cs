using System.Net.Http.Json;
using Aviary.Agents.Models;
using Aviary.Models;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Aviary.ModelServer;

/// <summary>
/// Every <see cref="ModelServerOptions.FlushInterval"/>, sends one <see cref="ModelObservationBatch"/>
/// per version that saw anything to <c>POST {ApiUrl}/api/models/{model}/observations</c> (header
/// <c>X-Api-Key</c>), with a few retries (Polly: exponential backoff, a timeout per attempt). A batch
/// that still fails is dropped and counted, so memory stays bounded when the API is away.
/// </summary>
public sealed partial class ObservationSender(
    IHttpClientFactory clients,
    ModelVersions versions,
    ModelServerOptions options,
    ModelServerMetrics metrics,
    TimeProvider time,
    ILogger<ObservationSender> logger) : BackgroundService
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = Pipeline(options, time);
    private readonly Dictionary<string, long> _droppedSeen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private bool _failing;

    public static ResiliencePipeline<HttpResponseMessage> Pipeline(ModelServerOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.SendAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.SendAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = options.FlushInterval * 2,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode is 408 or 429 or >= 500),
            });
        }
        return builder.AddTimeout(options.SendTimeout).Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: one last flush below, bounded by the send timeout.
        }
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Sends what every version recorded since the last flush; one flush at a time.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var failures = 0;
            foreach (var version in versions.Loaded)
            {
                CountBufferDrops(version.Recorder!);
                if (version.Recorder!.Take() is not { } batch)
                    continue;
                if (await SendAsync(batch, cancellationToken))
                {
                    metrics.Batches.WithLabels("sent").Inc();
                    continue;
                }
                failures++;
                metrics.Batches.WithLabels("failed").Inc();
                metrics.Dropped.WithLabels(batch.Version, "send").Inc(batch.Predictions.Length);
            }
            if (failures > 0 != _failing)
            {
                _failing = failures > 0;
                if (_failing)
                    LogSendFailing(logger, options.Model);
                else
                    LogSendRecovered(logger, options.Model);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<bool> SendAsync(ModelObservationBatch batch, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ApiModelSource.HttpClientName);
        var url = $"api/models/{Uri.EscapeDataString(options.Model)}/observations";
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async ct => await http.PostAsJsonAsync(url, batch, ModelCard.JsonOptions, ct),
                cancellationToken);
            if (response.IsSuccessStatusCode)
                return true;
            LogRefused(logger, options.Model, batch.Version, (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            LogSendFailed(logger, ex, options.Model, batch.Version);
            return false;
        }
    }

    /// <summary>The recorder counts drops as they happen; the metric catches up once per flush.</summary>
    private void CountBufferDrops(ObservationRecorder recorder)
    {
        var total = recorder.Dropped;
        var seen = _droppedSeen.GetValueOrDefault(recorder.Version);
        if (total > seen)
            metrics.Dropped.WithLabels(recorder.Version, "buffer").Inc(total - seen);
        _droppedSeen[recorder.Version] = total;
    }
}

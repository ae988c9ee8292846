using Polly;
using Polly.Retry;

namespace Aviary.Client.Cli;

/// <summary>
/// Calls a console keeps making while it follows something (watch): when a silo dies the cluster
/// needs a few seconds to notice and move the grain, and the calls in between fail (the silo is
/// gone, or answers 5xx while its grains move), or hang while it shuts down. Each
/// attempt gets five seconds; failed attempts are retried with exponential backoff (Polly) for up
/// to a minute instead of ending the watch.
/// </summary>
public static class TransientCalls
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddTimeout(Patience)
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 30,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
        })
        .AddTimeout(AttemptTimeout)
        .Build();

    public static ValueTask<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Pipeline.ExecuteAsync(async ct => await call(ct).WaitAsync(ct), cancellationToken);

    /// <summary>Errors that mean "the silos are rearranging themselves", not "the request is wrong".</summary>
    public static bool IsTransient(Exception ex) => ex is ServerUnreachableException
        or Polly.Timeout.TimeoutRejectedException
        or HttpRequestException
        or TimeoutException;
}

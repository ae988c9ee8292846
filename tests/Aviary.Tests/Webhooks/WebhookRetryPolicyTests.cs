using Aviary.Silo.Webhooks;
using Aviary.Webhooks;
using Polly.Timeout;

namespace Aviary.Tests.Webhooks;

/// <summary>The delivery pipeline (Polly) on its own: what it retries, how often, and the per-attempt timeout.</summary>
public sealed class WebhookRetryPolicyTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(1);

    private static WebhookSpec Hook(int attempts, TimeSpan? timeout = null) => new()
    {
        Id = "h",
        Url = "http://127.0.0.1/",
        Events = [WebhookEvents.RolloutStage],
        MaxAttempts = attempts,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    [Theory]
    [InlineData(500, 4)]
    [InlineData(503, 4)]
    [InlineData(429, 4)]
    [InlineData(408, 4)]
    [InlineData(404, 1)]
    [InlineData(401, 1)]
    [InlineData(200, 1)]
    [InlineData(204, 1)]
    public async Task Answer_RetriedOnlyWhenTransient_UpToMaxAttempts(int status, int expectedAttempts)
    {
        var attempts = 0;
        var last = await WebhookSender.Pipeline(Hook(4), Delay).ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(new WebhookAttempt(status, "", 1));
        });

        Assert.Equal(expectedAttempts, attempts);
        Assert.Equal(status, last.StatusCode);
    }

    [Fact]
    public async Task ConnectionRefused_RetriedThenThrown()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await WebhookSender.Pipeline(Hook(3), Delay).ExecuteAsync<WebhookAttempt>(_ =>
            {
                attempts++;
                throw new HttpRequestException("Connection refused");
            }));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task SlowAnswer_TimesOutEachAttempt_ThenTimeoutRejected()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<TimeoutRejectedException>(async () =>
            await WebhookSender.Pipeline(Hook(2, TimeSpan.FromMilliseconds(100)), Delay).ExecuteAsync(async token =>
            {
                attempts++;
                await Task.Delay(Timeout.InfiniteTimeSpan, token); // a receiver that never answers
                return new WebhookAttempt(200, "", 0);
            }));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task FailureThenSuccess_StopsRetrying()
    {
        var attempts = 0;
        var last = await WebhookSender.Pipeline(Hook(5), Delay).ExecuteAsync(_ =>
            ValueTask.FromResult(new WebhookAttempt(++attempts < 3 ? 502 : 200, "", 1)));

        Assert.Equal(3, attempts);
        Assert.True(last.IsSuccess);
    }
}

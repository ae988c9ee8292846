using Aviary.Client.Traffic;
using Aviary.Errors;
using Aviary.Metrics;

namespace Aviary.Tests.Client;

public sealed class TrafficSimulatorTests
{
    private static readonly TrafficProfile Profile = new(Rps: 100, ErrorRate: 0, P95: TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task RunAsync_VersionNotDeployedYet_DropsThoseBatches_AndGoesOnWhenItIs()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        Task Send(Sample[] samples, CancellationToken ct)
        {
            calls++;
            if (calls <= 2)
                throw new AviaryConflictException("version", "'v2' is not deployed in 'shop' (deployed: v1)");
            stop.Cancel(); // the third batch is taken: enough
            return Task.CompletedTask;
        }

        var summary = await new TrafficSimulator(Send, Profile, seed: 1).RunAsync(TimeSpan.FromMinutes(1), stop.Token);

        Assert.Equal(3, calls);
        Assert.Equal((10, 20), (summary.Sent, summary.Dropped));
    }

    [Fact]
    public async Task RunAsync_AnyOtherRefusal_EndsTheRunWithIt()
    {
        Task Send(Sample[] samples, CancellationToken ct) => throw new AviaryConflictException("service", "no deployment named 'shop'");

        var error = await Assert.ThrowsAsync<AviaryConflictException>(() => new TrafficSimulator(Send, Profile, seed: 1).RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal("service", error.Field);
    }
}

using Aviary.Gateway;
using Aviary.Metrics;

namespace Aviary.Tests.Gateway;

public sealed class OutcomeRecorderTests
{
    [Fact]
    public void Record_PastTheBound_IsDropped_AndPendingNeverExceedsIt()
    {
        var recorder = new OutcomeRecorder(new AviaryGatewayOptions { MaxPendingOutcomes = 1_000 });

        for (var i = 0; i < 1_500; i++)
            recorder.Record("shop", "v1", "shop@v1", ok: i % 10 != 0, latencyMs: i);

        Assert.Equal(1_000, recorder.Pending);
        var taken = Assert.Single(recorder.Take());
        Assert.Equal(4_000, taken.Packed.Length);
    }

    [Fact]
    public void Take_GivesEachVersionsOutcomesOnce_PackedAsTheMetricsGrainReadsThem()
    {
        var recorder = new OutcomeRecorder(new AviaryGatewayOptions());
        recorder.Record("shop", "v1", "shop@v1", ok: true, latencyMs: 12.5);
        recorder.Record("shop", "v1", "shop@v1", ok: false, latencyMs: 40);
        recorder.Record("shop", "v2", "shop@v2", ok: true, latencyMs: 3);

        var taken = recorder.Take().ToDictionary(t => t.Version.Version, t => new SampleBatch(t.Packed));

        Assert.Equal([new Sample(true, 12.5), new Sample(false, 40)], [taken["v1"][0], taken["v1"][1]]);
        Assert.Equal(new Sample(true, 3), taken["v2"][0]);
        Assert.Empty(recorder.Take());
        Assert.Equal(3, recorder.Pending); // until delivered
    }

    [Fact]
    public void Return_UndeliveredOutcomes_AreTakenAgain_AndDeliveredOnesLeavePending()
    {
        var recorder = new OutcomeRecorder(new AviaryGatewayOptions());
        recorder.Record("shop", "v1", "shop@v1", ok: true, latencyMs: 1);
        var (version, packed) = Assert.Single(recorder.Take());

        OutcomeRecorder.Return(version, packed);
        var again = Assert.Single(recorder.Take());
        recorder.Delivered(again.Packed.Length / 4);

        Assert.Equal(packed, again.Packed);
        Assert.Equal(0, recorder.Pending);
    }
}

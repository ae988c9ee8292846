using Aviary.Errors;
using Aviary.Grains.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class ModelTelemetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static PredictionRecord P(string id, double value, bool shadow = false, double latency = 1, string? label = null) =>
        new() { RequestId = id, Value = value, Shadow = shadow, LatencyMs = latency, Label = label };

    private static ModelObservationBatch Batch(string version, params PredictionRecord[] predictions) =>
        new() { Version = version, Requests = predictions.Length, Predictions = predictions };

    [Fact]
    public void Feedback_JoinsLabelsWithPredictions_RegressionFigures()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 10), P("b", 20), P("c", 30)), Now);

        Assert.Equal(3, t.Feedback([new() { RequestId = "a", Value = 12 }, new() { RequestId = "b", Value = 18 }, new() { RequestId = "c", Value = 30 }], Now));

        var q = t.View("m", Window, 0.1, Now).Find("v1")!.Quality;
        Assert.Equal(3, q.Labels);
        Assert.Equal("r2", q.Metric);
        Assert.Equal(4.0 / 3, q.Mae, 9);                       // |−2| + |2| + 0
        Assert.Equal(Math.Sqrt(8.0 / 3), q.Rmse, 9);
        Assert.Equal(1 - 8.0 / 168, q.Value, 9);              // truths 12, 18, 30: mean 20, SST 64 + 4 + 100
    }

    [Fact]
    public void Feedback_BinaryLabels_AccuracyAndF1()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 0.9, label: "true"), P("b", 0.2, label: "false"), P("c", 0.7, label: "true"), P("d", 0.1, label: "false")), Now);

        t.Feedback([new() { RequestId = "a", Value = 1 }, new() { RequestId = "b", Value = 1 }, new() { RequestId = "c", Value = 0 }, new() { RequestId = "d", Value = 0 }], Now);

        var q = t.View("m", Window, 0.1, Now).Find("v1")!.Quality;
        Assert.Equal("accuracy", q.Metric);
        Assert.Equal(0.5, q.Value, 9);                      // a and d right
        Assert.Equal(2.0 * 1 / (2 * 1 + 1 + 1), q.F1, 9);   // tp a, fp c, fn b
    }

    [Fact]
    public void Feedback_UnknownRequestId_RefusesTheWholeBatchAndRecordsNothing()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 10)), Now);

        var ex = Assert.Throws<AviaryNotFoundException>(() => t.Feedback([new() { RequestId = "a", Value = 10 }, new() { RequestId = "nope", Value = 1 }], Now));

        Assert.Equal("labels[1].requestId", ex.Field);
        Assert.Equal(0, t.View("m", Window, 0.1, Now).Find("v1")!.Quality.Labels);
        Assert.Equal(1, t.Feedback([new() { RequestId = "a", Value = 10 }], Now)); // still waiting
    }

    [Fact]
    public void Feedback_TwiceForOneRequest_SecondIsRefused()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 10)), Now);
        t.Feedback([new() { RequestId = "a", Value = 10 }], Now);

        var ex = Assert.Throws<AviaryNotFoundException>(() => t.Feedback([new() { RequestId = "a", Value = 11 }], Now));
        Assert.Equal("requestId", ex.Field);
        Assert.Contains("labelled already", ex.Message);
    }

    [Fact]
    public void ShadowCopies_ArePairedWithTheServingAnswer_WhicheverComesFirst()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v2", P("a", 10.5, shadow: true, latency: 5), P("b", 30, shadow: true, latency: 5)), Now); // before the serving answers
        t.Record(Batch("v1", P("a", 10, latency: 2), P("b", 20, latency: 3), P("c", 7)), Now);

        var v2 = t.View("m", Window, 0.1, Now).Find("v2")!;
        Assert.Equal(2, v2.ShadowRequests);
        Assert.Equal(2, v2.Agreement.Compared);
        Assert.Equal(1, v2.Agreement.Agreeing);            // 10.5 vs 10 is within 10 %; 30 vs 20 is not
        Assert.Equal((3 + 2) / 2.0, v2.Agreement.ExtraLatencyMs, 9);
        Assert.Equal(0, t.View("m", Window, 0.1, Now).Find("v1")!.Agreement.Compared);
        Assert.Equal(2, t.View("m", Window, 0.5, Now).Find("v2")!.Agreement.Agreeing); // a looser tolerance
    }

    [Fact]
    public void Labels_ScoreTheShadowVersionToo()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 10)), Now);
        t.Record(Batch("v2", P("a", 14, shadow: true)), Now);

        t.Feedback([new() { RequestId = "a", Value = 13 }], Now);

        var view = t.View("m", Window, 0.1, Now);
        Assert.Equal(3, view.Find("v1")!.Quality.Mae, 9);
        Assert.Equal(1, view.Find("v2")!.Quality.Mae, 9);
    }

    [Fact]
    public void FeatureCounts_AddUpOverTheWindow_AndAgeOut()
    {
        var t = new ModelTelemetry();
        FeatureCounts Counts(params long[] c) => new() { Name = "x", Counts = c, Missing = 1 };
        t.Record(new ModelObservationBatch { Version = "v1", Requests = 4, Features = [Counts(1, 2, 1)] }, Now);
        t.Record(new ModelObservationBatch { Version = "v1", Requests = 6, Features = [Counts(3, 0, 3)] }, Now + TimeSpan.FromMinutes(2));

        var live = t.View("m", Window, 0.1, Now + TimeSpan.FromMinutes(2)).Find("v1")!;
        Assert.Equal(10, live.Requests);
        Assert.Equal([4L, 2, 4], live.Features.Single().Counts);
        Assert.Equal(2, live.Features.Single().Missing);

        var later = t.View("m", Window, 0.1, Now + TimeSpan.FromMinutes(6)).Find("v1")!;
        Assert.Equal(6, later.Requests);
        Assert.Null(t.View("m", Window, 0.1, Now + TimeSpan.FromHours(2)).Find("v1"));
    }

    [Fact]
    public void Pending_IsBounded_OldestDroppedFirst()
    {
        var t = new ModelTelemetry(maxPending: 3);
        t.Record(Batch("v1", P("a", 1), P("b", 2), P("c", 3), P("d", 4)), Now);

        var view = t.View("m", Window, 0.1, Now);
        Assert.Equal(3, view.Pending);
        Assert.Equal(1, view.Expired);
        Assert.Throws<AviaryNotFoundException>(() => t.Feedback([new() { RequestId = "a", Value = 1 }], Now));
        Assert.Equal(1, t.Feedback([new() { RequestId = "d", Value = 4 }], Now));
    }

    [Fact]
    public void Pending_ExpiresAfterAnHour()
    {
        var t = new ModelTelemetry();
        t.Record(Batch("v1", P("a", 1)), Now);

        Assert.Throws<AviaryNotFoundException>(() => t.Feedback([new() { RequestId = "a", Value = 1 }], Now + TimeSpan.FromMinutes(61)));
    }

    [Theory]
    [InlineData("", "version")]
    [InlineData("bad version", "version")]
    public void Record_BadVersion_IsRefusedNamingTheField(string version, string field)
    {
        var ex = Assert.Throws<AviaryValidationException>(() => new ModelTelemetry().Record(Batch(version, P("a", 1)), Now));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Record_BadPrediction_ChangesNothing()
    {
        var t = new ModelTelemetry();
        var ex = Assert.Throws<AviaryValidationException>(() => t.Record(Batch("v1", P("a", 1), P("b", double.NaN)), Now));

        Assert.Equal("predictions[1]", ex.Field);
        Assert.Equal(0, t.View("m", Window, 0.1, Now).Pending);
        Assert.Empty(t.View("m", Window, 0.1, Now).Versions);
    }

    [Fact]
    public void Record_NegativeCounts_AreRefused()
    {
        var ex = Assert.Throws<AviaryValidationException>(() => new ModelTelemetry().Record(
            new ModelObservationBatch { Version = "v1", Features = [new() { Name = "x", Counts = [1, -1] }] }, Now));
        Assert.Equal("features[0].counts", ex.Field);
    }
}

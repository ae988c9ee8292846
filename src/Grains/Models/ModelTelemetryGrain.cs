using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>The shell of <see cref="ModelTelemetry"/>: one activation per model, in memory only (see <see cref="IModelTelemetryGrain"/>).</summary>
// Kept for the telemetry's retention even when idle, so labels that come late still find their predictions.
[CollectionAgeLimit(Minutes = 65)]
public sealed class ModelTelemetryGrain(AviaryClock clock) : Grain, IModelTelemetryGrain
{
    private ModelTelemetry _telemetry = new();

    Task IModelTelemetryGrain.RecordAsync(ModelObservationBatch batch)
    {
        _telemetry.Record(batch, clock.Now);
        return Task.CompletedTask;
    }

    Task<int> IModelTelemetryGrain.FeedbackAsync(Feedback[] labels) => Task.FromResult(_telemetry.Feedback(labels, clock.Now));

    Task IModelTelemetryGrain.ClearAsync()
    {
        _telemetry = new ModelTelemetry();
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    Task<ModelTelemetryView> IModelTelemetryGrain.GetAsync(TimeSpan window, double agreementTolerance) =>
        Task.FromResult(_telemetry.View(this.GetPrimaryKeyString(), window, agreementTolerance, clock.Now));
}

using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>The shell of <see cref="ModelTelemetry"/>: one activation per model, in memory only (see <see cref="IModelTelemetryGrain"/>).</summary>
public sealed class ModelTelemetryGrain(AviaryClock clock) : Grain, IModelTelemetryGrain
{
    private readonly ModelTelemetry _telemetry = new();

    Task IModelTelemetryGrain.RecordAsync(ModelObservationBatch batch)
    {
        _telemetry.Record(batch, clock.Now);
        return Task.CompletedTask;
    }

    Task<int> IModelTelemetryGrain.FeedbackAsync(Feedback[] labels) => Task.FromResult(_telemetry.Feedback(labels, clock.Now));

    Task<ModelTelemetryView> IModelTelemetryGrain.GetAsync(TimeSpan window, double agreementTolerance) =>
        Task.FromResult(_telemetry.View(this.GetPrimaryKeyString(), window, agreementTolerance, clock.Now));
}

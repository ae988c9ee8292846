namespace Aviary.Models;

/// <summary>
/// A model's live figures (key: the model's name), kept in memory for an hour: what its servers
/// saw, predictions waiting for labels, labels joined with them. Lost with the silo, like the
/// services' metrics windows: it is telemetry, not a record.
/// </summary>
[Alias("aviary.IModelTelemetryGrain")]
public interface IModelTelemetryGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task RecordAsync(ModelObservationBatch batch);

    /// <summary>Joins labels with their predictions; all or nothing: an unknown request id refuses the whole batch, naming it.</summary>
    [Alias("Feedback")]
    Task<int> FeedbackAsync(Feedback[] labels);

    /// <summary>Forgets everything (the model was removed).</summary>
    [Alias("Clear")]
    Task ClearAsync();

    [Alias("Get")]
    Task<ModelTelemetryView> GetAsync(TimeSpan window, double agreementTolerance);
}

namespace Aviary.Models;

/// <summary>
/// Watches one model (key: its name) on a timer: drift of live inputs against the serving
/// version's training reference starts its retraining workflow; a retrained version that beats
/// the current one is registered and rolled out by the model's policy; live quality below the
/// floor rolls back to the last good version.
/// </summary>
[Alias("aviary.IModelMonitorGrain")]
public interface IModelMonitorGrain : IGrainWithStringKey
{
    /// <summary>Starts (or keeps) watching; the model's policy says how.</summary>
    [Alias("Watch")]
    Task WatchAsync();

    /// <summary>Stops watching and forgets what it was doing.</summary>
    [Alias("Stop")]
    Task StopAsync();

    [Alias("Get")]
    Task<ModelMonitorView> GetAsync();

    /// <summary>One check now, as the timer would (for operators and tests).</summary>
    [Alias("Check")]
    Task<ModelMonitorView> CheckAsync();
}

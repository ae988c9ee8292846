using Aviary.Grains.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aviary.Grains;

public static class AviarySiloBuilderExtensions
{
    /// <summary>
    /// What every Aviary silo needs whatever its storage profile: the clock, rollout timing and the
    /// memory stream provider with its pub-sub store.
    /// </summary>
    public static ISiloBuilder AddAviaryGrains(this ISiloBuilder silo, Action<RolloutTimingOptions>? timing = null)
    {
        silo.Services.TryAddSingleton(AviaryClock.System);
        var options = silo.Services.AddOptions<RolloutTimingOptions>();
        if (timing is not null)
            options.Configure(timing);
        silo.AddMemoryStreams(Names.StreamProvider);
        silo.AddMemoryGrainStorage("PubSubStore");
        return silo;
    }
}

using Aviary.Agents;
using Aviary.Grains.Agents;
using Aviary.Grains.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Aviary.Grains;

public static class AviarySiloBuilderExtensions
{
    /// <summary>
    /// What every Aviary silo needs whatever its storage profile: the clock, the agents, the grains'
    /// settings (bound from configuration and checked when the host starts; <paramref name="timing"/>
    /// applies after configuration) and the memory stream provider with its pub-sub store.
    /// </summary>
    public static ISiloBuilder AddAviaryGrains(this ISiloBuilder silo, Action<GrainTimingOptions>? timing = null, AgentFiles? agentFiles = null)
    {
        // Agents read inputs relative to the working directory and write results under data/outputs
        // unless the host says otherwise.
        silo.Services.TryAddSingleton(agentFiles ?? new AgentFiles(Directory.GetCurrentDirectory(), Path.Combine("data", "outputs")));
        silo.Services.TryAddSingleton(AviaryClock.System);
        silo.Services.AddOptions<AgentPoolOptions>().BindConfiguration(AgentPoolOptions.Section).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentPoolOptions>, AgentPoolOptionsValidator>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, NoopAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, SimulatedAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, SourceFileAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.DataLoaderAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.ExplorerAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.AggregatorAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.AnomalyDetectorAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.PredictorAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.RecommenderAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.VisualizerAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Data.ReporterAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Models.ValidatorAgent>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentExecutor, Aviary.Agents.Models.TrainerAgent>());
        silo.Services.TryAddSingleton<AgentRegistry>();
        // Models: their files under the outputs folder, scored with the trainer's classes; automatic actions audited by the silo's store when it has one.
        silo.Services.TryAddSingleton<Models.ModelFiles>();
        silo.Services.TryAddSingleton<Models.IModelArtifacts, Models.ModelArtifacts>();
        silo.Services.TryAddSingleton<Models.IModelAudit, Models.NoModelAudit>();
        // Webhooks: the silo's HTTP host replaces these with its sender and gate; without one, events wait in their outboxes.
        silo.Services.TryAddSingleton<Webhooks.IWebhookDispatcher, Webhooks.NoWebhookDispatcher>();
        silo.Services.TryAddSingleton<Webhooks.IWebhookGate, Webhooks.OpenWebhookGate>();
        silo.Services.AddOptions<Webhooks.WebhookOptions>();
        var options = silo.Services.AddOptions<GrainTimingOptions>().BindConfiguration(GrainTimingOptions.Section).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainTimingOptions>, GrainTimingOptionsValidator>());
        if (timing is not null)
            options.Configure(timing);
        // Live feeds, not a log: subscribers are there while events flow, so the pulling agents'
        // cache keeps seconds of events rather than the default's minutes.
        silo.AddMemoryStreams(Names.StreamProvider, streams =>
        {
            streams.ConfigurePartitioning(Names.StreamQueues);
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.Zero;
                o.DataMaxAgeInCache = TimeSpan.FromSeconds(2);
                o.MetadataMinTimeInCache = TimeSpan.FromSeconds(2);
            }));
        });
        // Stream subscriptions: kept in memory unless the host already gave them durable storage (the cluster profile does).
        if (!silo.Services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, Names.PubSubStore) && d.ServiceType == typeof(Orleans.Storage.IGrainStorage)))
            silo.AddMemoryGrainStorage(Names.PubSubStore);
        return silo;
    }
}

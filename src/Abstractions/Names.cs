namespace Aviary;

/// <summary>Stream provider, stream namespaces and storage names shared by silo and clients.</summary>
public static class Names
{
    /// <summary>The stream provider every silo and client registers.</summary>
    public const string StreamProvider = "aviary";

    /// <summary>
    /// Queues of the memory stream provider, the same on every silo and client. Each queue's cache
    /// holds pooled blocks of about 2 MB however little flows through it: two queues keep that fixed
    /// cost at a few megabytes where the default eight cost 35 MB at 10,000 rollouts.
    /// </summary>
    public const int StreamQueues = 2;

    /// <summary>Rollout lifecycle events, on <see cref="RolloutEventPartitions"/> streams (see <see cref="RolloutEventsKey"/>).</summary>
    public const string RolloutEvents = "rollout-events";

    /// <summary>
    /// Rollout events share a fixed number of streams: a stream per service would mean a pub-sub
    /// rendezvous activation (and its state) per service, without bound. Subscribers filter by
    /// service or rollout id.
    /// </summary>
    public const int RolloutEventPartitions = 64;

    /// <summary>Workflow and task events, on <see cref="WorkflowEventPartitions"/> streams (see <see cref="WorkflowEventsKey"/>).</summary>
    public const string WorkflowEvents = "workflow-events";

    /// <summary>
    /// Workflow events share a fixed number of streams, as rollout events do: the live feed follows
    /// every run by subscribing to these few, and runs do not each cost a pub-sub rendezvous.
    /// Subscribers filter by run id.
    /// </summary>
    public const int WorkflowEventPartitions = 64;

    /// <summary>Agent pool events (scaling, breaker), keyed by agent kind.</summary>
    public const string AgentEvents = "agent-events";

    /// <summary>Batched request outcomes, keyed by <c>service/version</c>.</summary>
    public const string Metrics = "metrics";

    /// <summary>Route snapshots of every service, on the one stream <see cref="RoutesKey"/>: gateways subscribe to it.</summary>
    public const string Routes = "routes";

    public const string RoutesKey = "all";

    /// <summary>Grain storage for Aviary's own state.</summary>
    public const string Storage = "aviary";

    /// <summary>The grain storage Orleans keeps stream subscriptions in (its fixed name).</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>The key of the rollout-events stream that carries <paramref name="service"/>'s events.</summary>
    public static string RolloutEventsKey(string service)
    {
        return $"p{StableHash.Of(service) % RolloutEventPartitions}";
    }

    /// <summary>The key of the workflow-events stream that carries run <paramref name="runId"/>'s events.</summary>
    public static string WorkflowEventsKey(string runId) => $"p{StableHash.Of(runId) % WorkflowEventPartitions}";
}

namespace Aviary;

/// <summary>Stream provider, stream namespaces and storage names shared by silo and clients.</summary>
public static class Names
{
    /// <summary>The stream provider every silo and client registers.</summary>
    public const string StreamProvider = "aviary";

    /// <summary>Rollout lifecycle events, keyed by service name.</summary>
    public const string RolloutEvents = "rollout-events";

    /// <summary>Workflow and task events, keyed by run id.</summary>
    public const string WorkflowEvents = "workflow-events";

    /// <summary>Agent pool events (scaling, breaker), keyed by agent kind.</summary>
    public const string AgentEvents = "agent-events";

    /// <summary>Batched request outcomes, keyed by <c>service/version</c>.</summary>
    public const string Metrics = "metrics";

    /// <summary>Grain storage for Aviary's own state.</summary>
    public const string Storage = "aviary";

    /// <summary>The key of a metrics window and of its stream.</summary>
    public static string WindowKey(string service, string version) => $"{service}/{version}";
}

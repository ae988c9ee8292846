using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Grains;

/// <summary>
/// What this silo's activations hold right now, as observable gauges on the <see cref="AviaryMeters.MeterName"/>
/// meter: grains report on their transitions and withdraw on deactivation, so each silo exports
/// only its own activations and Prometheus sums the silos.
/// </summary>
public static class AviaryGauges
{
    private static readonly ConcurrentDictionary<string, RolloutGauge> Rollouts = new();
    private static readonly ConcurrentDictionary<string, int[]> WorkflowTasks = new();
    private static readonly ConcurrentDictionary<string, PoolGauge> Pools = new();

    private static readonly TaskRunStatus[] TaskStates = Enum.GetValues<TaskRunStatus>();

    public sealed record RolloutGauge(string Service, string Version, string StableVersion, RolloutStatus Status, int Weight);

    public sealed record PoolGauge(int Queued, int Workers, int Busy, BreakerState Breaker);

    static AviaryGauges()
    {
        var meter = AviaryMeters.Meter;
        meter.CreateObservableGauge("rollouts.active", ObserveActive,
            description: "Unfinished rollouts on this silo, by status");
        meter.CreateObservableGauge("rollout.weight", ObserveWeights, unit: "%",
            description: "Traffic weight of each version of a service with an active rollout");
        meter.CreateObservableGauge("workflow.tasks", ObserveTasks,
            description: "Tasks of the workflows active on this silo, by state");
        meter.CreateObservableGauge("agent.queue.depth", () => Pools.Select(p => new Measurement<int>(p.Value.Queued, Agent(p.Key))),
            description: "Work items waiting in each agent kind's pool");
        meter.CreateObservableGauge("agent.workers", () => Pools.Select(p => new Measurement<int>(p.Value.Workers, Agent(p.Key))),
            description: "Workers of each agent kind's pool");
        meter.CreateObservableGauge("agent.busy", () => Pools.Select(p => new Measurement<int>(p.Value.Busy, Agent(p.Key))),
            description: "Workers running a batch, per agent kind");
        meter.CreateObservableGauge("agent.breaker.state", () => Pools.Select(p => new Measurement<int>((int)p.Value.Breaker, Agent(p.Key))),
            description: "Circuit breaker per agent kind: 0 closed, 1 open, 2 half-open");
    }

    public static void Rollout(string rolloutId, RolloutGauge? gauge)
    {
        if (gauge is null || gauge.Status.IsFinal())
            Rollouts.TryRemove(rolloutId, out _);
        else
            Rollouts[rolloutId] = gauge;
    }

    public static void Workflow(string runId, IReadOnlyList<TaskRun>? tasks, bool finished)
    {
        if (tasks is null || finished)
        {
            WorkflowTasks.TryRemove(runId, out _);
            return;
        }
        var counts = new int[TaskStates.Length];
        foreach (var task in tasks)
            counts[(int)task.Status]++;
        WorkflowTasks[runId] = counts;
    }

    public static void Pool(string kind, PoolGauge? gauge)
    {
        if (gauge is null)
            Pools.TryRemove(kind, out _);
        else
            Pools[kind] = gauge;
    }

    /// <summary>Every unfinished status, zero included, so a status that empties reads 0 rather than its last count.</summary>
    private static IEnumerable<Measurement<int>> ObserveActive()
    {
        var counts = Rollouts.Values.CountBy(r => r.Status).ToDictionary();
        foreach (var status in Enum.GetValues<RolloutStatus>())
        {
            if (!status.IsFinal())
                yield return new Measurement<int>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", status.ToString()));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveWeights()
    {
        foreach (var r in Rollouts.Values)
        {
            yield return new Measurement<int>(r.Weight, new("service", r.Service), new("version", r.Version), new("role", "canary"));
            yield return new Measurement<int>(100 - r.Weight, new("service", r.Service), new("version", r.StableVersion), new("role", "stable"));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveTasks()
    {
        var totals = new int[TaskStates.Length];
        foreach (var counts in WorkflowTasks.Values)
        {
            for (var i = 0; i < totals.Length; i++)
                totals[i] += counts[i];
        }
        foreach (var state in TaskStates)
            yield return new Measurement<int>(totals[(int)state], new KeyValuePair<string, object?>("state", state.ToString()));
    }

    private static KeyValuePair<string, object?> Agent(string kind) => new("agent", kind);

    /// <summary>Touching this makes the gauges exist (static constructor) before anything reports.</summary>
    public static void Register()
    {
    }
}

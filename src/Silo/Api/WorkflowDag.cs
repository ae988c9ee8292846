using Aviary.Workflows;

namespace Aviary.Silo.Api;

/// <summary>
/// A run's plan as a graph, for drawing: each task's agent, dependencies and estimate (never its
/// input, which may name files or secrets), the batches by dependency depth, and the critical path
/// by estimates (<see cref="PlanAnalysis"/>).
/// </summary>
public sealed record WorkflowDag(string Name, WorkflowDagTask[] Tasks, string[][] Batches, string[] CriticalPath, TimeSpan CriticalPathLength)
{
    public static WorkflowDag Of(WorkflowPlan plan)
    {
        var analysis = PlanAnalysis.Of(plan);
        var tasks = plan.Tasks.Select(t => new WorkflowDagTask(t.Id, t.Agent, t.DependsOn ?? [], t.Estimate ?? PlanAnalysis.DefaultEstimate)).ToArray();
        return new WorkflowDag(plan.Name, tasks, analysis.Batches, analysis.CriticalPath, analysis.CriticalPathLength);
    }
}

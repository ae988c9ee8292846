using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowGrain
{
    /// <summary>
    /// When an audit is due (<see cref="AttemptAudit"/>): asks each pool the run has attempts out
    /// with which of them it still holds, and fails those lost. A pool that cannot be reached holds
    /// nothing this time.
    /// </summary>
    private async Task AuditAsync(WorkflowScheduler scheduler, DateTimeOffset now)
    {
        Audit.Track(scheduler.HasRunning, now);
        if (!Audit.IsDue(now))
            return;
        var plan = scheduler.Plan;
        var findings = new List<(int Task, int Attempt, bool Held)>();
        foreach (var pool in scheduler.RunningAttempts().GroupBy(a => plan.Tasks[a.Task].Agent))
        {
            var attempts = pool.ToArray();
            HeldWork[] held;
            try
            {
                held = await GrainFactory.GetGrain<IAgentPoolGrain>(pool.Key)
                    .HoldsAsync(RunId, [.. attempts.Select(a => new AttemptRef(plan.Tasks[a.Task].Id, a.Attempt))]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPoolUnreachable(logger, ex, RunId, pool.Key);
                held = new HeldWork[attempts.Length];
            }
            for (var k = 0; k < attempts.Length; k++)
                findings.Add((attempts[k].Task, attempts[k].Attempt, held[k].State != HeldWorkState.NotHeld));
        }
        foreach (var (task, attempt) in Audit.Judge(findings, now))
            scheduler.Lose(task, attempt, now, _pending);
    }
}

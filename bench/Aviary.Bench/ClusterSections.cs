using System.Globalization;
using Aviary.Harness;

namespace Aviary.Bench;

/// <summary>The sections that run real silo processes on PostgreSQL: <c>cluster</c> and <c>failover</c>.</summary>
public static class ClusterSections
{
    public static async Task RunAsync(string section, string[] args, bool quick)
    {
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine($"# Aviary cluster benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}; silos: {RepoPaths.SiloDll}");
        Console.WriteLine();
        if (section == "failover")
        {
            var trials = args.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, quick ? 3 : 20);
            var soak = await ClusterBench.FailoverSoakAsync(trials, line => Console.Error.WriteLine(line));
            Console.WriteLine("## Failover soak (3 silo processes, PostgreSQL; the rollout's silo SIGKILLed in stage 2, moments rotating: mid-stage, right after the stage change, at a due check)");
            Console.WriteLine("| trials | continued correctly | SIGKILL → next check, median | max |");
            Console.WriteLine("|---:|---:|---:|---:|");
            Console.WriteLine(string.Create(invariant, $"| {soak.Trials} | {soak.Passed}/{soak.Trials} | {soak.MedianGapS:0.00} s | {soak.MaxGapS:0.00} s |"));
            foreach (var failure in soak.Failures)
                Console.WriteLine($"- {failure}");
            return;
        }

        // `cluster workflows`: only the workflow shapes, on one silo, with the database's commit counts.
        var workflowsOnly = args.Contains("workflows");
        if (workflowsOnly)
        {
            await WorkflowsOnOneSiloAsync(quick);
            return;
        }
        Console.WriteLine("## Rollouts on PostgreSQL (deployed through the deployment grains; 1 s checks; 20 samples/s to each version)");
        Console.WriteLine("| silos | rollouts | deploy time (2 deploys each) | checks/s | lateness p50 ≤ | lateness p99 ≤ |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var rollouts = args.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, quick ? 500 : 10_000);
        foreach (var silos in new[] { 1, 3 })
        {
            await using var cluster = await SiloCluster.StartAsync(silos);
            var r = await ClusterBench.RolloutsAsync(cluster, rollouts, TimeSpan.FromSeconds(quick ? 10 : 30));
            Console.WriteLine(string.Create(invariant, $"| {r.Silos} | {r.Rollouts:N0} | {r.StartTime.TotalSeconds:0.0} s | {r.ChecksPerSecond:N0} | {r.P50Ms:0} ms | {r.P99Ms:0} ms |"));
        }
        Console.WriteLine();

        Console.WriteLine("## Workflows on PostgreSQL (no-op agents)");
        Console.WriteLine("| silos | run | workflows | tasks | wall time | tasks/s | workflows/s |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var silos in new[] { 1, 3 })
        {
            await using var cluster = await SiloCluster.StartAsync(silos);
            await WorkflowBench.WarmUpAsync(cluster.Client, quick);
            foreach (var (runs, run) in WorkflowBench.All(cluster.Client, quick))
            {
                var (_, r, _, _) = await WorkflowBench.RepeatAsync(runs, run);
                Console.WriteLine(string.Create(invariant,
                    $"| {silos} | {r.Name} | {r.Workflows:N0} | {r.Tasks:N0} | {r.Elapsed.TotalSeconds:0.00} s | {r.TasksPerSecond:N0} | {r.WorkflowsPerSecond:N1} |"));
            }
        }
    }

    /// <summary>
    /// The workflow shapes on one silo process over PostgreSQL, with what the server did for each
    /// run: transactions committed and WAL flushes (pg_stat_database, pg_stat_wal), which say
    /// whether a shape waits on commits one by one or shares their flushes.
    /// </summary>
    private static async Task WorkflowsOnOneSiloAsync(bool quick)
    {
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine("## Workflows on PostgreSQL, 1 silo process (no-op agents)");
        Console.WriteLine("| run | workflows | tasks | runs | wall time median | tasks/s median | commits per run | WAL syncs per run |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        await using var cluster = await SiloCluster.StartAsync(1);
        await WorkflowBench.WarmUpAsync(cluster.Client, quick);
        await using var stats = new Npgsql.NpgsqlConnection(cluster.Database.ConnectionString);
        await stats.OpenAsync();
        async Task<(long Commits, long Syncs)> CountersAsync()
        {
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT pg_stat_clear_snapshot(); SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal);", stats);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.NextResultAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        foreach (var (runs, run) in WorkflowBench.All(cluster.Client, quick))
        {
            var before = await CountersAsync();
            var (_, median, _, _) = await WorkflowBench.RepeatAsync(runs, run);
            // The statistics collector reports with a delay of up to a second.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var after = await CountersAsync();
            Console.WriteLine(string.Create(invariant,
                $"| {median.Name} | {median.Workflows:N0} | {median.Tasks:N0} | {runs} | {median.Elapsed.TotalSeconds:0.000} s | {median.TasksPerSecond:N0} | {(after.Commits - before.Commits) / runs:N0} | {(after.Syncs - before.Syncs) / runs:N0} |"));
        }
        Console.WriteLine();
    }
}

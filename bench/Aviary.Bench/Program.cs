using System.Globalization;
using Aviary.Bench;
using Aviary.Silo.Storage;

// Usage: dotnet run -c Release --project bench/Aviary.Bench -- [quick] [ceiling|memory|rollouts [N]|workflows|sales|ingest]
//        dotnet run -c Release --project bench/Aviary.Bench -- cluster [rollouts] (PostgreSQL, 1 and 3 silo processes; default 10,000)
//        dotnet run -c Release --project bench/Aviary.Bench -- failover [trials]  (SIGKILL soak, default 20 trials)
//        dotnet run -c Release --project bench/Aviary.Bench -- gateway  (needs wrk, hey, nginx: apt-get install wrk hey nginx-light)
//        dotnet run -c Release --project bench/Aviary.Bench -- ml [serving] [quick]  (training, drift checks, the model server, serving
//              through the gateway against the model server directly; `serving`: that last part alone; needs hey)
//        dotnet run -c Release --project bench/Aviary.Bench -- fsync [dir]  (4 KB append + fsync per second on dir's disk; default the temp directory)
//        dotnet run -c Release --project bench/Aviary.Bench -- hangfire  (the workflow shapes on Hangfire with SQLite storage, about 5 minutes)
// cluster and failover need PostgreSQL: deploy/scripts/test-postgres.sh start (or AVIARY_TEST_POSTGRES).
// Prints Markdown tables; docs/benchmarks.md records a run and the command.
if (args is ["plain-yarp", var yarpPort, var yarpUpstream])
{
    await PlainYarp.RunAsync(int.Parse(yarpPort, CultureInfo.InvariantCulture), yarpUpstream);
    return;
}
var quick = args.Contains("quick");
var only = args.FirstOrDefault(a => a is "ceiling" or "memory" or "rollouts" or "workflows" or "sales" or "ingest" or "cluster" or "failover" or "gateway" or "ml" or "fsync" or "hangfire");
if (only is "cluster" or "failover")
{
    await ClusterSections.RunAsync(only, args, quick);
    return;
}
if (only == "ml")
{
    Console.WriteLine($"# Aviary model benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
    Console.WriteLine();
    await ModelBench.RunAsync(quick, servingOnly: args.Contains("serving"));
    return;
}
if (only is "fsync" or "hangfire")
{
    Console.WriteLine($"# Aviary baselines — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    Console.WriteLine();
    if (only == "fsync")
        await BaselineSections.FsyncAsync(args.SkipWhile(a => a != "fsync").Skip(1).FirstOrDefault(a => a != "quick") ?? Path.GetTempPath(), quick);
    else
        await BaselineSections.HangfireAsync(quick);
    return;
}
if (only == "gateway")
{
    Console.WriteLine($"# Aviary gateway benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    Console.WriteLine();
    await GatewayBench.RunAsync(quick);
    return;
}
bool Run(string section) => only is null || only == section;
var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"# Aviary benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine();

if (Run("ceiling"))
{
    await using var silo = await BenchSilo.StartAsync();
    Console.WriteLine("## Raw ceiling (no-op grain calls, in process)");
    Console.WriteLine("| calls in flight | calls/s |");
    Console.WriteLine("|---:|---:|");
    foreach (var inFlight in new[] { 1, 16, 256 })
    {
        var rate = await CeilingBench.RunAsync(silo.Grains, inFlight, TimeSpan.FromSeconds(quick ? 2 : 5));
        Console.WriteLine(string.Create(invariant, $"| {inFlight} | {rate:N0} |"));
    }
    Console.WriteLine();
}

if ((Run("rollouts") && !args.Any(a => int.TryParse(a, out _))) || only == "memory")
{
    await using (var silo = await BenchSilo.StartAsync())
    {
        Console.WriteLine("## Memory breakdown (1,000 of each, settled heap)");
        Console.WriteLine("| what | heap each |");
        Console.WriteLine("|---|---:|");
        foreach (var (what, bytes) in await MemoryBreakdown.RunAsync(silo.Grains))
            Console.WriteLine(string.Create(invariant, $"| {what} | {bytes / 1024:0.0} KB |"));
        Console.WriteLine();
    }
}

if (Run("rollouts"))
{
    Console.WriteLine("## Rollouts (a fresh silo each; a batch of 20 samples to each rollout's canary and stable window per check interval)");
    Console.WriteLine("| rollouts | check interval | lateness p50 | lateness p99 | lateness max | checks/s | CPU (% of one core) | heap per rollout | resident memory | start time | events shed | GC pause (gen2 GCs) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // `rollouts N [S]`: one run of N rollouts at S-second checks, 1 by default (for heap dumps and quick comparisons).
    var numbers = args.Select(a => int.TryParse(a, NumberStyles.None, invariant, out var n) ? n : 0).Where(n => n > 0).ToArray();
    var single = numbers.FirstOrDefault();
    var runs = single > 0
        ? new[] { (single, TimeSpan.FromSeconds(numbers.Length > 1 ? numbers[1] : 1), TimeSpan.FromSeconds(numbers.Length > 1 ? 6 * numbers[1] : 30)) }
        : quick
        ? new[] { (1_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) }
        : new[] { (10_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), (100_000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)) };
    var round = 0;
    foreach (var (count, interval, duration) in runs)
    {
        await using var silo = await BenchSilo.StartAsync();
        var r = await RolloutBench.RunAsync(silo.Grains, count, interval, duration, $"r{round++}-");
        Console.WriteLine(string.Create(invariant,
            $"| {r.Rollouts:N0} | {r.Interval.TotalSeconds:0} s | {r.LatenessP50Ms:0.0} ms | {r.LatenessP99Ms:0.0} ms | {r.LatenessMaxMs:0} ms | {r.ChecksPerSecond:N0} | {r.CpuPercent:0} % | {r.BytesPerRollout / 1024:0.0} KB | {r.ResidentBytes / 1024.0 / 1024:N0} MB | {r.StartTime.TotalSeconds:0.0} s | {r.EventsDropped:N0} | {r.GcPause.TotalMilliseconds:N0} ms ({r.Gen2Collections}) |"));
    }
    Console.WriteLine();
}

if (Run("workflows"))
    await WorkflowSection.RunAsync(quick, withHangfire: !args.Contains("no-hangfire"));

if (Run("sales"))
{
    var rows = quick ? 10_000 : 100_000;
    var report = await SalesBench.RunAsync(rows, runs: quick ? 1 : 3);
    var median = report.Results.OrderBy(r => r.Elapsed).ElementAt(report.Results.Count / 2);
    Console.WriteLine(string.Create(invariant, $"## Sales analysis (examples/sales-analysis.yaml, {rows:N0} messy rows, {report.InputBytes / 1024.0 / 1024:0.0} MB CSV; SQLite state; {report.Results.Count} runs)"));
    Console.WriteLine(string.Create(invariant, $"End to end (start → completed): median **{median.Elapsed.TotalSeconds:0.00} s** ({string.Join(", ", report.Results.Select(r => $"{r.Elapsed.TotalSeconds:0.00} s"))}); one task at a time: {report.Alone.Elapsed.TotalSeconds:0.00} s; process peak working set {report.Alone.PeakWorkingSetBytes / 1024 / 1024:N0} MB."));
    Console.WriteLine();
    Console.WriteLine(string.Create(invariant, $"Per task: wall, CPU (the task's own worker thread) and allocations of the median run, where independent tasks run together; then the managed heap's high-water while the task ran with every task one at a time (the silo's settled heap before that run: {report.SettledHeapBytes / 1024.0 / 1024:0} MB; the high-water includes garbage not yet collected)."));
    Console.WriteLine();
    Console.WriteLine("| task | agent | wall | CPU | allocated | peak heap, alone |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|");
    var agents = report.Plan.Tasks.ToDictionary(t => t.Id, t => t.Agent);
    var alone = report.Alone.View.Tasks.ToDictionary(t => t.Id);
    foreach (var t in median.View.Tasks)
        Console.WriteLine(string.Create(invariant, $"| {t.Id} | {agents[t.Id]} | {t.Use.Wall.TotalMilliseconds:N0} ms | {t.Use.Cpu.TotalMilliseconds:N0} ms | {t.Use.AllocatedBytes / 1024.0 / 1024:0.0} MB | {alone[t.Id].Use.PeakHeapBytes / 1024.0 / 1024:0} MB |"));
    Console.WriteLine();
}

if (Run("ingest"))
{
    Console.WriteLine("## Ingest (client over loopback TCP → metrics windows)");
    Console.WriteLine("| path | batch | windows | samples recorded | samples/s | CPU (% of one core) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    await using var silo = await BenchSilo.StartAsync();
    using var client = await BenchSilo.ConnectClientAsync();
    foreach (var viaStream in new[] { true, false })
    {
        var r = await IngestBench.RunAsync(client, viaStream, windows: 64, batchSize: 8192, inFlight: 32, TimeSpan.FromSeconds(quick ? 3 : 10));
        Console.WriteLine(string.Create(invariant, $"| {r.Path} | {r.BatchSize:N0} | {r.Windows} | {r.Samples:N0} | {r.SamplesPerSecond:N0} | {r.CpuPercent:0} % |"));
    }
    await client.StopAsync();
}

using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Traffic;
using Aviary.Metrics;
using Aviary.Rollouts;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// About a minute, end to end: a healthy canary walks 10 → 100 % and succeeds, then a bad one
/// rolls back by itself, all driven by synthetic traffic.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "Service the demo deploys (default demo-shop)", DefaultValueFactory = _ => "demo-shop" };
        var command = new Command("demo", "Show a healthy canary succeeding, then a bad one rolling back (about a minute)") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = Identifiers.ValidateService(context.Value(service));
            var ops = await context.OperationsAsync(ct);
            var client = await context.ClientAsync(ct);
            var policy = new RolloutPolicy
            {
                BakeTime = TimeSpan.FromSeconds(6),
                CheckInterval = TimeSpan.FromSeconds(2),
                MinSamples = 20,
            };

            var existing = (await ops.ListAsync()).FirstOrDefault(d => d.Service == name);
            if (existing?.ActiveRolloutId is not null)
                await ops.AbortAsync(name, "demo restarted");
            var round = existing?.Releases.Length ?? 0;
            var stable = existing?.StableVersion ?? $"1.{round}.0";
            if (existing is null)
                await ops.DeployAsync(name, stable, policy);
            var good = $"1.{round + 1}.0";
            var bad = $"1.{round + 2}.0";

            using var traffic = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var provider = client.GetStreamProvider(Names.StreamProvider);
            Task Simulate(string version, TrafficProfile profile, int seed) =>
                new TrafficSimulator(SampleStream.For(provider, name), version, profile, seed).RunAsync(TimeSpan.FromMinutes(5), traffic.Token);
            var simulators = new List<Task>
            {
                Simulate(stable, new TrafficProfile(200, 0.01, TimeSpan.FromMilliseconds(80)), 1),
                Simulate(good, new TrafficProfile(100, 0.01, TimeSpan.FromMilliseconds(90)), 2),
                Simulate(bad, new TrafficProfile(100, 0.30, TimeSpan.FromMilliseconds(400)), 3),
            };
            try
            {
                Say(context, $"[bold]1/2[/] {name}: stable {stable}; deploying {good} (healthy: 1 % errors, p95 90 ms)");
                var first = await ops.DeployAsync(name, good, policy);
                var firstExit = await RolloutWatcher.WatchAsync(context, first.Rollout!.RolloutId, ct);

                Say(context, $"[bold]2/2[/] deploying {bad} (bad: 30 % errors, p95 400 ms): it should roll back by itself");
                var second = await ops.DeployAsync(name, bad, policy);
                var secondExit = await RolloutWatcher.WatchAsync(context, second.Rollout!.RolloutId, ct);

                var asExpected = firstExit == ExitCodes.Ok && secondExit == ExitCodes.RolloutFailed;
                Say(context, asExpected
                    ? $"[green]demo done:[/] {good} succeeded and is stable; {bad} rolled back"
                    : "[red]demo did not go as expected[/]: see the rollouts above");
                return asExpected ? ExitCodes.Ok : ExitCodes.RolloutFailed;
            }
            finally
            {
                await traffic.CancelAsync();
                await Task.WhenAll(simulators);
            }
        }));
        return command;
    }

    private static void Say(CommandContext context, string markup)
    {
        if (!context.Output.Json)
            context.Console.MarkupLine(markup);
    }
}

using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Client.Traffic;
using Aviary.Rollouts;
using Aviary.Routes;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// About a minute, end to end on real traffic: three real upstream processes (a stable version, a
/// healthy new one, a bad one), real HTTP requests through the gateway, and rollouts judged only on
/// what the gateway measured. The healthy canary walks 10 → 100 % and succeeds, the bad one rolls
/// back by itself.
/// </summary>
public static class DemoCommand
{
    /// <summary>Enough requests that even the 10 % stage gives each check its minimum of canary samples.</summary>
    public const int RequestsPerSecond = 200;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(4);

    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "Service the demo deploys (default demo-shop)", DefaultValueFactory = _ => "demo-shop" };
        var command = new Command("demo", "Real upstreams and real requests through the gateway: a healthy canary succeeds, a bad one rolls back (about a minute)")
        {
            service, LoadCommand.Url,
        };
        command.Add(MlDemoCommand.Create());
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = Identifiers.ValidateService(context.Value(service));
            var ops = context.Rollouts;
            var policy = new RolloutPolicy
            {
                BakeTime = TimeSpan.FromSeconds(6),
                CheckInterval = TimeSpan.FromSeconds(2),
                MinSamples = 20,
            };

            // Start clean: the upstreams of an earlier demo are gone, so its routes would lead nowhere.
            var existing = (await ops.ListAsync()).FirstOrDefault(d => d.Service == name);
            if (existing?.ActiveRolloutId is not null)
                await ops.AbortAsync(name, "demo restarted");
            if (existing is not null)
                await ops.RemoveServiceAsync(name);

            Say(context, "starting three upstream processes of examples/DemoUpstream …");
            await using var stable = await UpstreamProcess.StartAsync("1.0.0", 0.01, TimeSpan.FromMilliseconds(20), 1, ct);
            await using var good = await UpstreamProcess.StartAsync("1.1.0", 0.01, TimeSpan.FromMilliseconds(25), 2, ct);
            await using var bad = await UpstreamProcess.StartAsync("1.2.0", 0.30, TimeSpan.FromMilliseconds(40), 3, ct);
            await ops.ConfigureServiceAsync(name, ServiceRouting.ByName(name));
            await ops.DeployAsync(name, stable.Version, policy, [stable.Url]);

            var plan = await LoadCommand.PlanAsync(context, name, RequestsPerSecond, "5m", "/", [], ct);
            using var handler = LoadGenerator.Handler(plan.MaxInFlight);
            using var http = new HttpMessageInvoker(handler);
            using var traffic = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = new LoadGenerator(http).RunAsync(plan, traffic.Token);
            Say(context, $"sending {RequestsPerSecond} req/s to {Markup.Escape(plan.Target.ToString())} (Host: {Markup.Escape(plan.Host ?? "-")}) through the gateway");
            try
            {
                // The first requests pay for connections and JIT; let the stable version absorb them,
                // so the canary's first check is not judged on a cold start.
                await Task.Delay(WarmUp, ct);
                Say(context, $"[bold]1/2[/] {name}: stable {stable.Version} at {stable.Url}; deploying {good.Version} at {good.Url} (healthy: 1 % errors)");
                var first = await ops.DeployAsync(name, good.Version, policy, [good.Url]);
                var firstExit = await RolloutWatcher.WatchAsync(context, first.Rollout!.RolloutId, ct);

                Say(context, $"[bold]2/2[/] deploying {bad.Version} at {bad.Url} (bad: 30 % errors): it should roll back by itself");
                var second = await ops.DeployAsync(name, bad.Version, policy, [bad.Url]);
                var secondExit = await RolloutWatcher.WatchAsync(context, second.Rollout!.RolloutId, ct);

                await traffic.CancelAsync();
                var report = await load;
                if (!context.Output.Json)
                    LoadRenderer.Versions(context.Console, report);
                var asExpected = firstExit == ExitCodes.Ok && secondExit == ExitCodes.RolloutFailed;
                Say(context, asExpected
                    ? $"[green]demo done:[/] {good.Version} succeeded and is stable; {bad.Version} rolled back ({report.Answered} real requests answered)"
                    : "[red]demo did not go as expected[/]: see the rollouts above");
                return asExpected ? ExitCodes.Ok : ExitCodes.RolloutFailed;
            }
            finally
            {
                await traffic.CancelAsync();
                await load;
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

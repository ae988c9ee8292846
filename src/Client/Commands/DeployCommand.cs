using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Spectre.Console;

namespace Aviary.Client.Commands;

public static class DeployCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var version = new Argument<string>("version") { Description = "Version to deploy" };
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout; exit 3 if it rolls back or is aborted" };
        var to = new Option<string>("--to") { Description = "URLs the version runs at, comma-separated: the gateway routes its share of requests there" };
        var policy = new PolicyOptions();
        var command = new Command("deploy", "Deploy a version: the first becomes stable at once, later ones start a canary rollout")
        {
            service, version, watch, to,
        };
        policy.AddTo(command);
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var rolloutPolicy = policy.Read(context);
            var ops = await context.OperationsAsync(ct);
            var destinations = Aviary.Routes.RouteValidator.ValidateDestinations(context.Value(to)?.Split(',', StringSplitOptions.TrimEntries));
            var result = await ops.DeployAsync(context.Value(service), context.Value(version), rolloutPolicy, destinations);
            if (result.Rollout is null)
            {
                context.Output.Write(result, c => c.MarkupLineInterpolated($"[green]{result.Deployment.Service} {result.Deployment.StableVersion} is stable[/]"));
                return ExitCodes.Ok;
            }
            if (!context.Value(watch))
            {
                context.Output.Write(result, c => RolloutRenderer.Summary(c, result.Rollout));
                return ExitCodes.Ok;
            }
            return await RolloutWatcher.WatchAsync(context, result.Rollout.RolloutId, ct);
        }));
        return command;
    }
}

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
        var splitWeight = new Option<int?>("--split-weight") { Description = "With --strategy split: the version's fixed percent of users, taken from the stable version (see aviary split)" };
        var after = new Option<string>("--after") { Description = "Wait for these releases to succeed first, comma-separated: service or service@version" };
        var overrideFreeze = new Option<string>("--override-freeze") { Description = "Deploy inside a freeze window, giving the reason (admin)" };
        var policy = new PolicyOptions();
        var command = new Command("deploy", "Deploy a version: the first becomes stable at once, later ones start a canary rollout (or wait in the release queue)")
        {
            service, version, watch, to, splitWeight, after, overrideFreeze,
        };
        policy.AddTo(command);
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var destinations = Aviary.Routes.RouteValidator.ValidateDestinations(context.Value(to)?.Split(',', StringSplitOptions.TrimEntries));
            if (context.Value(policy.Strategy) == "split")
                return await JoinSplitAsync(context, context.Value(service), context.Value(version), destinations, context.Value(splitWeight), ct);
            if (context.Value(splitWeight) is not null)
                throw new Aviary.Errors.AviaryValidationException("split-weight", "is for --strategy split");
            var rolloutPolicy = policy.Read(context);
            var ops = context.Rollouts;
            var waitsFor = context.Value(after)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            var result = await ops.DeployAsync(context.Value(service), context.Value(version), rolloutPolicy, destinations, waitsFor, context.Value(overrideFreeze));
            if (result.Queued is { } queued)
            {
                context.Output.Write(result, c => c.MarkupLineInterpolated($"[yellow]{result.Deployment.Service} {context.Value(version)} queued at {queued.Position}: {queued.Waiting}[/] (aviary queue)"));
                return ExitCodes.Ok;
            }
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

    /// <summary>
    /// <c>--strategy split</c>: the version joins the service's fixed split with its weight, taken
    /// from the stable version's share (a split of stable and this version when there is none yet).
    /// </summary>
    private static async Task<int> JoinSplitAsync(CommandContext context, string service, string version, string[] destinations, int? weight, CancellationToken ct)
    {
        if (weight is not { } share)
            throw new Aviary.Errors.AviaryValidationException("split-weight", "--strategy split needs the version's percent, e.g. --split-weight 20");
        var ops = context.Rollouts;
        var current = await ops.GetDeploymentAsync(service);
        var split = current.Split.Length > 0
            ? current.Split.Where(s => s.Version != version).ToList()
            : [new Aviary.Routes.SplitShare { Version = current.StableVersion, Weight = 100 }];
        var stable = split.FindIndex(s => s.Version == current.StableVersion);
        if (stable < 0 || split[stable].Weight - share < 1)
            throw new Aviary.Errors.AviaryValidationException("split-weight", $"the stable version {current.StableVersion} must keep at least 1 % (it has {(stable < 0 ? 0 : split[stable].Weight)} %)");
        split[stable] = split[stable] with { Weight = split[stable].Weight - share };
        split.Add(new Aviary.Routes.SplitShare { Version = version, Weight = share });
        var view = await ops.SplitAsync(service, [.. split], destinations.Length == 0 ? [] : [new Aviary.Routes.VersionTarget { Version = version, Destinations = destinations }]);
        context.Output.Write(view, c => ServiceRenderer.One(c, view));
        return ExitCodes.Ok;
    }
}

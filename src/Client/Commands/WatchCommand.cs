using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Errors;

namespace Aviary.Client.Commands;

public static class WatchCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var command = new Command("watch", "Follow a service's current (or latest) rollout live; exit 3 if it rolls back or is aborted") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var name = context.Value(service);
            var rollout = await ops.GetLatestRolloutAsync(name)
                ?? throw new AviaryNotFoundException("service", $"'{name}' has had no rollout yet");
            return await RolloutWatcher.WatchAsync(context, rollout.RolloutId, ct);
        }));
        return command;
    }
}

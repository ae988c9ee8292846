using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;

namespace Aviary.Client.Commands;

public static class HistoryCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var command = new Command("history", "Release history of a service, newest last") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var deployment = await ops.GetDeploymentAsync(context.Value(service));
            context.Output.Write(deployment.Releases, c => DeploymentRenderer.History(c, deployment));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

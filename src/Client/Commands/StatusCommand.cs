using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Deployments;
using Aviary.Rollouts;

namespace Aviary.Client.Commands;

public static class StatusCommand
{
    public static Command Create()
    {
        var service = new Argument<string?>("service") { Description = "Service name (all services when left out)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show deployments, or one service with its current rollout") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var name = context.Value(service);
            if (name is null)
            {
                var all = await ops.ListAsync();
                context.Output.Write(all, c => DeploymentRenderer.List(c, all));
                return ExitCodes.Ok;
            }
            var deployment = await ops.GetDeploymentAsync(name);
            var rollout = await ops.GetLatestRolloutAsync(name);
            var status = new ServiceStatus(deployment, rollout);
            context.Output.Write(status, c =>
            {
                DeploymentRenderer.One(c, deployment);
                if (rollout is not null)
                    RolloutRenderer.Summary(c, rollout);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}

public sealed record ServiceStatus(DeploymentView Deployment, RolloutView? Rollout);

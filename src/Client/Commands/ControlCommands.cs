using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Client.Api;
using Aviary.Rollouts;

namespace Aviary.Client.Commands;

/// <summary>The operator's verbs on a service's active rollout, and undo.</summary>
public static class ControlCommands
{
    public static IEnumerable<Command> Create()
    {
        var full = new Option<bool>("--full") { Description = "Go straight to 100 % and finish" };
        yield return RolloutVerb("promote", "Advance the rollout to its next stage now (passing a gate), or to 100 % with --full",
            [full], (ops, service, context) => ops.PromoteAsync(service, context.Value(full)));

        var pauseReason = new Option<string>("--reason") { Description = "Why (shown in status and events)" };
        yield return RolloutVerb("pause", "Hold the rollout at its current stage; bake time stops counting",
            [pauseReason], (ops, service, context) => ops.PauseAsync(service, context.Value(pauseReason) ?? ""));

        yield return RolloutVerb("resume", "Continue a paused rollout", [], (ops, service, _) => ops.ResumeAsync(service));

        yield return RolloutVerb("approve", "Approve the rollout leaving its first stage (two-person rule: someone other than the deployer)",
            [], (ops, service, _) => ops.ApproveAsync(service));

        var abortReason = new Option<string>("--reason") { Description = "Why (shown in status and events)" };
        yield return RolloutVerb("abort", "Send all traffic back to the stable version now",
            [abortReason], (ops, service, context) => ops.AbortAsync(service, context.Value(abortReason) ?? ""));

        var undoService = new Argument<string>("service") { Description = "Service name" };
        var undo = new Command("undo", "Restore the stable version that the last successful rollout replaced") { undoService };
        undo.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var deployment = await ops.UndoAsync(context.Value(undoService));
            context.Output.Write(deployment, c => DeploymentRenderer.One(c, deployment));
            return ExitCodes.Ok;
        }));
        yield return undo;
    }

    private static Command RolloutVerb(string name, string description, Option[] options,
        Func<RolloutClient, string, CommandContext, Task<RolloutView>> act)
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var command = new Command(name, description) { service };
        foreach (var option in options)
            command.Add(option);
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var rollout = await act(ops, context.Value(service), context);
            context.Output.Write(rollout, c => RolloutRenderer.Summary(c, rollout));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

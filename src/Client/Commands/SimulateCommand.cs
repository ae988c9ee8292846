using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Traffic;
using Spectre.Console;

namespace Aviary.Client.Commands;

public static class SimulateCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var version = new Option<string>("--version") { Description = "Version the traffic is for", Required = true };
        var rps = new Option<double>("--rps") { Description = "Requests per second (default 100)", DefaultValueFactory = _ => 100 };
        var errorRate = new Option<double>("--error-rate") { Description = "Fraction of requests that fail, 0..1 (default 0.01)", DefaultValueFactory = _ => 0.01 };
        var p95 = new Option<string>("--p95") { Description = "95th percentile latency (default 80ms)", DefaultValueFactory = _ => "80ms" };
        var duration = new Option<string>("--duration") { Description = "How long to send (default 1m)", DefaultValueFactory = _ => "1m" };
        var seed = new Option<int>("--seed") { Description = "Random seed, for repeatable traffic (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "Send synthetic request outcomes for a version of a service")
        {
            service, version, rps, errorRate, p95, duration, seed,
        };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = Identifiers.ValidateService(context.Value(service));
            var ver = Identifiers.ValidateVersion(context.Value(version));
            var profile = new TrafficProfile(context.Value(rps), context.Value(errorRate), Durations.Parse("p95", context.Value(p95))).Validate();
            var length = Durations.Parse("duration", context.Value(duration));
            var ops = context.Rollouts;
            await ops.GetDeploymentAsync(name, ct); // refuse traffic for a service that does not exist
            var summary = await new TrafficSimulator((samples, c) => ops.PostSamplesAsync(name, ver, samples, c), profile, context.Value(seed)).RunAsync(length, ct);
            context.Output.Write(summary, c => c.MarkupLineInterpolated(
                $"sent {summary.Sent} samples for {name} {ver} ({summary.Errors} errors, {summary.Dropped} dropped) in {summary.Elapsed.TotalSeconds:0.0} s"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

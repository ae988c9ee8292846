using System.CommandLine;
using System.Globalization;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Errors;
using Aviary.Routes;

namespace Aviary.Client.Commands;

/// <summary>
/// <c>aviary split &lt;service&gt; --weights 1.0=80,1.1=20 [--to 1.1=URL[,URL]]</c>: a fixed split
/// across versions for as long as the operator wants (champion/challenger), each version's metrics
/// kept apart; <c>--end</c> gives all traffic back to the stable version.
/// </summary>
public static class SplitCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var weights = new Option<string>("--weights") { Description = "Versions and their percent of users, adding up to 100, stable among them: 1.0.0=80,1.1.0=20" };
        var to = new Option<string[]>("--to") { Description = "Where a version not deployed before runs: VERSION=URL[,URL]; repeat per version" };
        var end = new Option<bool>("--end") { Description = "End the split: the stable version takes all traffic" };
        var command = new Command("split", "Split a service's traffic across versions at fixed weights (champion/challenger)") { service, weights, to, end };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = Identifiers.ValidateService(context.Value(service));
            var ending = context.Value(end);
            var text = context.Value(weights);
            if (ending == text is not null)
                throw new AviaryValidationException("weights", "give --weights, or --end to end the split");
            var split = ending ? [] : ParseWeights(text!);
            var destinations = (context.Value(to) ?? []).Select(ParseTarget).ToArray();
            var ops = context.Rollouts;
            var view = await ops.SplitAsync(name, split, destinations);
            context.Output.Write(view, c => ServiceRenderer.One(c, view));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static SplitShare[] ParseWeights(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
        {
            var equals = part.LastIndexOf('=');
            if (equals <= 0 || !int.TryParse(part[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
                throw new AviaryValidationException("weights", $"'{part}' must be VERSION=PERCENT");
            return new SplitShare { Version = part[..equals], Weight = weight };
        }).ToArray();

    private static VersionTarget ParseTarget(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
            throw new AviaryValidationException("to", $"'{text}' must be VERSION=URL[,URL]");
        var version = Identifiers.ValidateVersion(text[..equals], "to");
        return new VersionTarget { Version = version, Destinations = RouteValidator.ValidateDestinations(text[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries)) };
    }
}

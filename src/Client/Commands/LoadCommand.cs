using System.CommandLine;
using System.Globalization;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Client.Traffic;
using Aviary.Errors;

namespace Aviary.Client.Commands;

/// <summary><c>aviary load &lt;service&gt; --rps N --duration T</c>: real HTTP requests through the gateway, by the service's host or path prefix.</summary>
public static class LoadCommand
{
    public const string UrlVariable = "AVIARY_TRAFFIC_URL";
    public const string DefaultUrl = "http://localhost:8000";

    public static readonly Option<string> Url = new("--url")
    {
        Description = $"The gateway's URL (default {DefaultUrl}, or ${UrlVariable})",
    };

    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "Service to send requests to" };
        var rps = new Option<int>("--rps") { Description = "Requests per second (default 50)", DefaultValueFactory = _ => 50 };
        var duration = new Option<string>("--duration") { Description = "How long to send (default 10s)", DefaultValueFactory = _ => "10s" };
        var path = new Option<string>("--path") { Description = "Request path below the service (default /)", DefaultValueFactory = _ => "/" };
        var headers = new Option<string[]>("--header") { Description = "A request header as name=value; repeat for more", AllowMultipleArgumentsPerToken = false };
        var command = new Command("load", "Send real HTTP requests through the gateway and count what answered them") { service, rps, duration, path, headers, Url };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var plan = await PlanAsync(context, context.Value(service), context.Value(rps), context.Value(duration), context.Value(path), context.Value(headers) ?? [], ct);
            using var handler = LoadGenerator.Handler(plan.MaxInFlight);
            using var http = new HttpMessageInvoker(handler);
            var report = await new LoadGenerator(http).RunAsync(plan, ct);
            context.Output.Write(report, c => LoadRenderer.Report(c, context.Value(service), report));
            return report.Answered == 0 && report.Sent > 0 ? ExitCodes.ServerUnreachable : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Checks the flags and finds how the gateway knows the service: its first host, else its path prefix.</summary>
    public static async Task<LoadPlan> PlanAsync(CommandContext context, string service, int rps, string duration, string path, string[] headers, CancellationToken ct)
    {
        Identifiers.ValidateService(service);
        if (rps is < 1 or > LoadPlan.MaxRate)
            throw new AviaryValidationException("rps", $"must be between 1 and {LoadPlan.MaxRate}");
        var time = Durations.Parse("duration", duration);
        if (time <= TimeSpan.Zero || time > LoadPlan.MaxDuration)
            throw new AviaryValidationException("duration", "must be positive and at most 1 hour");
        if (!path.StartsWith('/') || path.Any(char.IsControl))
            throw new AviaryValidationException("path", "must start with '/'");
        var parsed = headers.Select(ParseHeader).ToArray();
        var baseUrl = context.Parse.GetValue(Url) ?? Environment.GetEnvironmentVariable(UrlVariable) ?? DefaultUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
            throw new AviaryValidationException("url", $"must be an absolute http:// or https:// URL (got '{baseUrl}')");

        var ops = context.Rollouts;
        var routing = (await ops.GetDeploymentAsync(service)).Routing;
        var host = routing.Hosts.FirstOrDefault();
        var target = new Uri(gateway, routing.PathPrefix + path);
        return new LoadPlan(target, host, rps, time, parsed);
    }

    private static KeyValuePair<string, string> ParseHeader(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || text.Any(char.IsControl))
            throw new AviaryValidationException("header", $"must be name=value (got '{text}')");
        return new(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }
}

using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Routes;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary service add|show|list|remove</c>: the services the gateway routes and how it finds their requests.</summary>
public static class ServiceCommands
{
    public static Command Create()
    {
        var command = new Command("service", "Services the gateway routes: how it finds their requests, where their versions run");
        command.Add(Add());
        command.Add(Show());
        command.Add(List());
        command.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var hosts = new Option<string>("--host") { Description = "Host names whose requests are the service's, comma-separated (default: the service name)" };
        var prefix = new Option<string>("--path-prefix") { Description = "Path prefix whose requests are the service's, e.g. /shop (removed before forwarding)" };
        var header = new Option<string>("--sticky-header") { Description = "Request header that keeps a user on one version (e.g. X-User-Id)" };
        var cookie = new Option<string>("--sticky-cookie") { Description = "Cookie that keeps a user on one version (default: the gateway's own cookie)" };
        var command = new Command("add", "Add a service, or change how the gateway finds its requests") { service, hosts, prefix, header, cookie };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = Identifiers.ValidateService(context.Value(service));
            var pathPrefix = context.Value(prefix) ?? "";
            var hostList = context.Value(hosts) is { } given
                ? given.Split(',', StringSplitOptions.TrimEntries)
                : pathPrefix.Length > 0 ? [] : [name];
            var routing = RouteValidator.Validate(new ServiceRouting
            {
                Hosts = hostList,
                PathPrefix = pathPrefix,
                StickyHeader = context.Value(header) ?? "",
                StickyCookie = context.Value(cookie) ?? "",
            });
            var ops = context.Rollouts;
            var view = await ops.ConfigureServiceAsync(name, routing);
            context.Output.Write(view, c => ServiceRenderer.One(c, view));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var command = new Command("show", "Show a service's routing, versions and destinations") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var view = await ops.GetDeploymentAsync(context.Value(service));
            context.Output.Write(view, c => ServiceRenderer.One(c, view));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the services and how requests find them");
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var ops = context.Rollouts;
            var all = await ops.ListAsync();
            context.Output.Write(all, c => ServiceRenderer.List(c, all));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove()
    {
        var service = new Argument<string>("service") { Description = "Service name" };
        var command = new Command("remove", "Remove a service: the gateway stops routing to it (refused during a rollout)") { service };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = context.Value(service);
            var ops = context.Rollouts;
            await ops.RemoveServiceAsync(name);
            context.Output.Write(new { service = name, removed = true }, c => c.MarkupLine($"{Markup.Escape(name)} removed"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

using Aviary.Deployments;
using Aviary.Routes;
using Spectre.Console;

namespace Aviary.Client.Rendering;

public static class ServiceRenderer
{
    public static void List(IAnsiConsole console, IReadOnlyList<DeploymentView> services)
    {
        if (services.Count == 0)
        {
            console.MarkupLine("[grey]no services yet: aviary service add <service> --host <name>[/]");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("service").AddColumn("matches").AddColumn("stable").AddColumn("canary").AddColumn("weight");
        foreach (var s in services)
        {
            table.AddRow(
                Markup.Escape(s.Service),
                Markup.Escape(Matching(s.Routing)),
                Markup.Escape(s.StableVersion.Length > 0 ? s.StableVersion : "-"),
                Markup.Escape(s.CanaryVersion ?? "-"),
                s.CanaryVersion is null ? "-" : $"{s.CanaryWeight} %");
        }
        console.Write(table);
    }

    public static void One(IAnsiConsole console, DeploymentView s)
    {
        console.MarkupLine($"[bold]{Markup.Escape(s.Service)}[/]: {Markup.Escape(Matching(s.Routing))}");
        if (s.Routing.StickyHeader.Length > 0 || s.Routing.StickyCookie.Length > 0)
            console.MarkupLine($"  sticky by {(s.Routing.StickyHeader.Length > 0 ? "header " + Markup.Escape(s.Routing.StickyHeader) : "cookie " + Markup.Escape(s.Routing.StickyCookie))}");
        if (s.Targets.Length == 0)
        {
            console.MarkupLine("[grey]  no versions yet: aviary deploy <service> <version> --to <url>[/]");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("version").AddColumn("role").AddColumn("destinations");
        foreach (var t in s.Targets)
        {
            var share = s.Split.FirstOrDefault(x => x.Version == t.Version);
            var role = share is not null ? (t.Version == s.StableVersion ? $"stable, split {share.Weight} %" : $"split {share.Weight} %")
                : t.Version == s.StableVersion ? "stable"
                : t.Version == s.CanaryVersion ? $"canary ({s.CanaryWeight} %)"
                : "previous stable";
            table.AddRow(Markup.Escape(t.Version), role, Markup.Escape(t.Destinations.Length == 0 ? "(none: takes no proxied traffic)" : string.Join(", ", t.Destinations)));
        }
        console.Write(table);
    }

    private static string Matching(ServiceRouting routing)
    {
        var hosts = routing.Hosts.Length == 0 ? "any host" : "Host " + string.Join(" | ", routing.Hosts);
        return routing.PathPrefix.Length == 0 ? hosts : $"{hosts}, path {routing.PathPrefix}/…";
    }
}

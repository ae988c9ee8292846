using System.Globalization;
using Aviary.Deployments;
using Spectre.Console;

namespace Aviary.Client.Rendering;

public static class DeploymentRenderer
{
    public static void List(IAnsiConsole console, IReadOnlyList<DeploymentView> deployments)
    {
        if (deployments.Count == 0)
        {
            console.MarkupLine("[grey]no deployments yet: aviary deploy <service> <version>[/]");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("service").AddColumn("stable").AddColumn("canary").AddColumn("weight").AddColumn("rollout");
        foreach (var d in deployments)
        {
            table.AddRow(
                Markup.Escape(d.Service),
                Markup.Escape(d.StableVersion),
                Markup.Escape(d.CanaryVersion ?? "-"),
                d.CanaryVersion is null ? "-" : $"{d.CanaryWeight} %",
                Markup.Escape(d.ActiveRolloutId ?? "-"));
        }
        console.Write(table);
    }

    public static void One(IAnsiConsole console, DeploymentView d)
    {
        var canary = d.CanaryVersion is null
            ? ""
            : $", canary [yellow]{Markup.Escape(d.CanaryVersion)}[/] at {d.CanaryWeight} % ({Markup.Escape(d.ActiveRolloutId ?? "")})";
        console.MarkupLine($"[bold]{Markup.Escape(d.Service)}[/]: stable [green]{Markup.Escape(d.StableVersion)}[/]{canary}");
    }

    public static void History(IAnsiConsole console, DeploymentView d)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(d.Service))
            .AddColumn("version").AddColumn("rollout").AddColumn("outcome").AddColumn("started").AddColumn("ended");
        foreach (var r in d.Releases)
        {
            table.AddRow(
                Markup.Escape(r.Version),
                Markup.Escape(r.RolloutId ?? "-"),
                r.Outcome.ToString(),
                r.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                r.EndedAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-");
        }
        console.Write(table);
    }
}

using System.Globalization;
using Aviary.Metrics;
using Aviary.Rollouts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Aviary.Client.Rendering;

/// <summary>How a rollout looks on a terminal: a stage bar, its numbers, its last verdicts.</summary>
public static class RolloutRenderer
{
    public static void Summary(IAnsiConsole console, RolloutView view) => console.Write(Panel(view, null, null));

    public static IRenderable Panel(RolloutView view, MetricsSnapshot? canary, MetricsSnapshot? stable)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[bold]stages[/]"), new Markup(StageBar(view)));
        grid.AddRow(new Markup("[bold]status[/]"), new Markup(StatusMarkup(view)));
        grid.AddRow(new Markup("[bold]traffic[/]"), new Markup(Markup.Escape($"{view.Version} {view.Weight} % · {view.StableVersion} {100 - view.Weight} %")));
        if (!view.Status.IsFinal())
        {
            grid.AddRow(new Markup("[bold]bake left[/]"), new Text(Durations.Format(Round(view.BakeRemaining))));
            if (view.NextCheckAt is { } next)
                grid.AddRow(new Markup("[bold]next check[/]"), new Text($"in {Durations.Format(Round(next - view.Now < TimeSpan.Zero ? TimeSpan.Zero : next - view.Now))}"));
        }
        if (canary is not null && stable is not null)
        {
            grid.AddRow(new Markup("[bold]canary[/]"), new Text(Figures(canary)));
            grid.AddRow(new Markup("[bold]stable[/]"), new Text(Figures(stable)));
        }
        var rows = new List<IRenderable> { grid };
        if (view.Verdicts.Length > 0)
            rows.Add(Verdicts(view.Verdicts.TakeLast(5)));
        return new Panel(new Rows(rows))
        {
            Header = new PanelHeader(Markup.Escape($" {view.Service} → {view.Version} ({view.RolloutId}) ")),
            Border = BoxBorder.Rounded,
        };
    }

    public static string StageBar(RolloutView view)
    {
        var parts = new List<string>();
        for (var i = 0; i < view.Policy.Stages.Length; i++)
        {
            var label = $"{view.Policy.Stages[i]}%";
            var done = view.Status == RolloutStatus.Succeeded || i < view.StageIndex;
            var current = i == view.StageIndex && !view.Status.IsFinal();
            parts.Add(done ? $"[green]{label}[/]"
                : current ? $"[bold black on yellow] {label} [/]"
                : view.Status.IsFinal() && i == view.StageIndex ? $"[red]{label}[/]"
                : $"[grey]{label}[/]");
        }
        return string.Join(" [grey]━[/] ", parts);
    }

    /// <summary>One event as a log line. A check is shown at the stage it judged, not the one it led to.</summary>
    public static string EventLine(RolloutEvent e)
    {
        var stage = e.Verdict?.StageIndex ?? e.StageIndex;
        return $"{e.At.ToLocalTime():HH:mm:ss} {e.RolloutId} {Kind(e.Kind),-10} stage {stage + 1} {e.Status,-11} {e.Message}";
    }

    private static IRenderable Verdicts(IEnumerable<Verdict> verdicts)
    {
        var table = new Table().Border(TableBorder.Simple).Title("[bold]last checks[/]")
            .AddColumn("time").AddColumn("stage").AddColumn("verdict").AddColumn("canary").AddColumn("stable");
        var shown = verdicts.ToList();
        var shadow = shown.Any(v => v.Mismatch is not null);
        if (shadow)
            table.AddColumn("copies differing");
        foreach (var v in shown)
        {
            var color = v.Result switch { VerdictResult.Healthy => "green", VerdictResult.Unhealthy => "red", _ => "yellow" };
            IRenderable[] cells =
            [
                new Text(v.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                new Text((v.StageIndex + 1).ToString(CultureInfo.InvariantCulture)),
                new Markup($"[{color}]{v.Result}[/]"),
                new Text(Figures(v.Canary)),
                new Text(Figures(v.Stable)),
            ];
            table.AddRow(shadow
                ? [.. cells, new Text(v.Mismatch is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m.Errors} of {m.Count} ({m.ErrorRate * 100:0.0} %)") : "-")]
                : cells);
        }
        return table;
    }

    public static string Figures(MetricsSnapshot s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Count} req, err {s.ErrorRate * 100:0.0} %, p95 {s.P95Ms:0} ms");

    private static string StatusMarkup(RolloutView view)
    {
        var color = view.Status switch
        {
            RolloutStatus.Succeeded => "green",
            RolloutStatus.RolledBack or RolloutStatus.Aborted => "red",
            RolloutStatus.Paused => "yellow",
            _ => "blue",
        };
        var reason = view.PauseReason is null ? "" : $" — {Markup.Escape(view.PauseReason)}";
        return $"[{color}]{view.Status}[/] at stage {view.StageIndex + 1}/{view.Policy.Stages.Length}{reason}";
    }

    private static string Kind(RolloutEventKind kind) => kind switch
    {
        RolloutEventKind.CheckCompleted => "check",
        RolloutEventKind.StageAdvanced => "advanced",
        RolloutEventKind.RolledBack => "rollback",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Ceiling(t.TotalSeconds));
}

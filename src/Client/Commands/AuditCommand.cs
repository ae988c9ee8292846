using System.CommandLine;
using Aviary.Client.Cli;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary audit [--service S] [--since 24h] [--limit N]</c>: the changes asked of the API, newest first (admin).</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "Only changes to this service" };
        var since = new Option<string>("--since") { Description = "An instant (2026-12-01T09:00Z) or a duration back from now (24h, 30m); default: everything kept" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default 100, at most 1000)" };
        var command = new Command("audit", "Who changed what through the API, when, from where, and whether it was accepted") { service, since, limit };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var query = new List<string>();
            if (context.Value(service) is { } s)
                query.Add($"service={Uri.EscapeDataString(s)}");
            if (context.Value(since) is { } t)
                query.Add($"since={Uri.EscapeDataString(t)}");
            if (context.Value(limit) is { } n)
                query.Add($"limit={n}");
            var entries = await context.Api.GetAsync<AuditRow[]>("/api/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            context.Output.Write(entries, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("at").AddColumn("caller").AddColumn("change").AddColumn("from").AddColumn("outcome");
                foreach (var e in entries)
                {
                    var outcome = e.Outcome == "accepted" ? $"[green]{e.Status} accepted[/]" : $"[red]{e.Status} refused[/]: {Markup.Escape(e.Reason ?? "")}";
                    table.AddRow(e.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), Markup.Escape(e.Caller), Markup.Escape($"{e.Method} {e.Target}"), Markup.Escape(e.Remote), outcome);
                }
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>An audit entry as the API answers it.</summary>
    public sealed record AuditRow(long Id, DateTimeOffset At, string Caller, string Method, string Route, string? Service, string Target, string? Body, string Remote, int Status, string Outcome, string? Reason);
}

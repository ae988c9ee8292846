using System.Globalization;
using Aviary.Client.Traffic;
using Spectre.Console;

namespace Aviary.Client.Rendering;

public static class LoadRenderer
{
    public static void Report(IAnsiConsole console, string service, LoadReport report)
    {
        var c = CultureInfo.InvariantCulture;
        console.MarkupLine(string.Create(c,
            $"[bold]{Markup.Escape(service)}[/]: {report.Answered} answered of {report.Sent} sent in {report.Seconds:0.0} s ({report.AchievedRps:0} req/s); p50 {report.P50Ms:0.0} ms, p95 {report.P95Ms:0.0} ms, p99 {report.P99Ms:0.0} ms"));
        if (report.Shed > 0 || report.TransportErrors > 0)
            console.MarkupLine($"[yellow]{report.Shed} shed (too many in flight), {report.TransportErrors} without an answer[/]");
        Versions(console, report);
        console.MarkupLine("statuses: " + string.Join(", ", report.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
    }

    public static void Versions(IAnsiConsole console, LoadReport report)
    {
        var total = report.ByVersion.Values.Sum(v => v.Requests);
        if (total == 0)
            return;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("version").AddColumn("requests").AddColumn("share").AddColumn("errors");
        foreach (var (version, count) in report.ByVersion.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(version), count.Requests.ToString(CultureInfo.InvariantCulture),
                (100.0 * count.Requests / total).ToString("0.0", CultureInfo.InvariantCulture) + " %",
                count.Errors.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }
}

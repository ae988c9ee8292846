using System.Globalization;
using System.Net;
using System.Text;

namespace Aviary.Agents.Data;

/// <summary>A report of a dataset's analysis in Markdown and in HTML (same content).</summary>
public static class Reporter
{
    public sealed record Section(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

    public static Section Profiles(IReadOnlyList<ColumnProfile> profiles) => new("Columns",
        ["column", "type", "missing", "distinct", "min", "mean", "max"],
        profiles.Select(p => (IReadOnlyList<string>)[p.Name, p.Type, p.Missing.ToString(CultureInfo.InvariantCulture), p.Distinct.ToString(CultureInfo.InvariantCulture), N(p.Min), N(p.Mean), N(p.Max)]).ToList());

    public static Section Findings(IReadOnlyList<Finding> findings) => new("Findings",
        ["severity", "subject", "finding"],
        findings.Select(f => (IReadOnlyList<string>)[f.Severity, f.Subject, f.Text]).ToList());

    public static Section Groups(string by, IReadOnlyList<GroupRow> groups) => new($"By {by}",
        [by, "count", "sum", "mean", "min", "max"],
        groups.Select(g => (IReadOnlyList<string>)[g.Key, g.Count.ToString(CultureInfo.InvariantCulture), N(g.Sum), N(g.Mean), N(g.Min), N(g.Max)]).ToList());

    public static string Markdown(string title, IReadOnlyList<Section> sections)
    {
        var text = new StringBuilder().Append("# ").AppendLine(title).AppendLine();
        foreach (var section in sections)
        {
            text.Append("## ").AppendLine(section.Title).AppendLine();
            text.Append("| ").Append(string.Join(" | ", section.Columns.Select(Cell))).AppendLine(" |");
            text.Append('|').Append(string.Concat(section.Columns.Select(_ => "---|"))).AppendLine();
            foreach (var row in section.Rows)
                text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).AppendLine(" |");
            text.AppendLine();
        }
        return text.ToString();
    }

    public static string Html(string title, IReadOnlyList<Section> sections)
    {
        var text = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>")
            .Append("</head><body><h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>");
        foreach (var section in sections)
        {
            text.Append("<h2>").Append(WebUtility.HtmlEncode(section.Title)).Append("</h2><table><tr>");
            foreach (var column in section.Columns)
                text.Append("<th>").Append(WebUtility.HtmlEncode(column)).Append("</th>");
            text.Append("</tr>");
            foreach (var row in section.Rows)
                text.Append("<tr>").Append(string.Concat(row.Select(c => "<td>" + WebUtility.HtmlEncode(c) + "</td>"))).Append("</tr>");
            text.Append("</table>");
        }
        return text.Append("</body></html>").ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    private static string N(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
}

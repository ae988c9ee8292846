using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aviary.Grains;
using Aviary.Rollouts;
using Aviary.Workflows;
using YamlDotNet.RepresentationModel;
using static Aviary.Tests.Deployment.RepoFiles;

namespace Aviary.Tests.Deployment;

/// <summary>
/// deploy/grafana/aviary.json agrees with the silo and with deploy/prometheus/prometheus.yml: it is
/// a well-formed dashboard, every panel queries through the data source variable, and every
/// Aviary metric it reads is one the silo exports, as derived from the real instruments. These are
/// static checks of the files as written. They need no Grafana and no Prometheus.
/// </summary>
public sealed class GrafanaDashboardTests
{
    private const string DashboardFile = "deploy/grafana/aviary.json";
    private const string PrometheusFile = "deploy/prometheus/prometheus.yml";
    private const string DatasourceReference = "${datasource}";
    private const string MetricsPath = Aviary.Silo.Hosting.MetricsEndpoint.Path;

    /// <summary>The target labels every query filters on, through the dashboard variables of the same names.</summary>
    private static readonly string[] FilterLabels = ["namespace", "pod"];

    /// <summary>Prefixes of the metric families the dashboard reads: Aviary's meter, Orleans' meters, prometheus-net's process figures.</summary>
    private static readonly string[] MetricPrefixes = ["aviary_", "microsoft_orleans_", "process_", "dotnet_"];

    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    /// <summary>The values the silo records for the labels the dashboard matches on, by metric and label.</summary>
    private static readonly Dictionary<(string Metric, string Label), string[]> RecordedLabelValues = new()
    {
        [("aviary_rollout_transitions", "kind")] = [.. Enum.GetNames<RolloutEventKind>().Where(k => k != nameof(RolloutEventKind.CheckCompleted))],
        [("aviary_rollout_verdicts", "result")] = Enum.GetNames<VerdictResult>(),
        [("aviary_rollouts_active", "status")] = [.. Enum.GetValues<RolloutStatus>().Where(s => !s.IsFinal()).Select(s => s.ToString())],
        [("aviary_rollout_weight", "role")] = ["canary", "stable"],
        [("aviary_workflow_tasks", "state")] = Enum.GetNames<TaskRunStatus>(),
    };

    /// <summary>One label matcher of a selector: <c>kind=~"RolledBack|Aborted"</c>.</summary>
    private static readonly Regex LabelMatcher = new(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?<op>=~|!~|!=|=)\s*""(?<value>(?:[^""\\]|\\.)*)""");

    private static readonly Regex MetricName = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");

    // ---- the dashboard itself ---------------------------------------------------------------

    [Fact]
    public void Dashboard_IsAJsonObjectWithTitleAndPanels()
    {
        var dashboard = Dashboard();

        Assert.Equal(JsonValueKind.Object, dashboard.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(Text(dashboard, "title")), $"{DashboardFile}: no title");
        Assert.NotEmpty(Panels(dashboard));
    }

    [Fact]
    public void Dashboard_NeedsNoImportInputs()
    {
        var text = File.ReadAllText(InRepo(DashboardFile));

        Assert.False(Dashboard().TryGetProperty("__inputs", out _), $"{DashboardFile}: has __inputs; the data source is the variable 'datasource' instead");
        Assert.DoesNotContain("${DS_", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PanelIds_AreUnique()
    {
        var duplicates = Panels(Dashboard())
            .GroupBy(p => p.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : (int?)null)
            .Where(g => g.Key is null || g.Count() > 1)
            .Select(g => g.Key is null
                ? $"panels without a numeric id: {Titles(g)}"
                : $"panel id {g.Key} is shared by {Titles(g)}")
            .ToList();

        AssertNone(duplicates);
    }

    [Fact]
    public void EveryPanel_HasAGridPositionWithinTheWidth()
    {
        var problems = new List<string>();
        foreach (var panel in Panels(Dashboard()))
        {
            if (!panel.TryGetProperty("gridPos", out var grid) || grid.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"panel '{Title(panel)}': no gridPos");
                continue;
            }
            var missing = new[] { "h", "w", "x", "y" }.Where(k => !grid.TryGetProperty(k, out var v) || v.ValueKind != JsonValueKind.Number).ToList();
            if (missing.Count > 0)
                problems.Add($"panel '{Title(panel)}': gridPos lacks {string.Join(", ", missing)}");
            else if (grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32() > 24)
                problems.Add($"panel '{Title(panel)}': gridPos x + w exceeds the 24 columns");
        }

        AssertNone(problems);
    }

    // ---- data source ------------------------------------------------------------------------

    [Fact]
    public void DatasourceVariable_ChoosesAPrometheusDataSource()
    {
        var variable = Items(Dashboard(), "templating", "list").SingleOrDefault(v => Text(v, "name") == "datasource");

        Assert.True(variable.ValueKind == JsonValueKind.Object, $"{DashboardFile}: no template variable 'datasource'");
        Assert.Equal("datasource", Text(variable, "type"));
        Assert.Equal("prometheus", Text(variable, "query"));
    }

    [Fact]
    public void EveryQueryPanel_UsesTheDatasourceVariable()
    {
        var problems = new List<string>();
        foreach (var panel in QueryPanels())
        {
            if (DatasourceUid(panel) != DatasourceReference)
                problems.Add($"panel '{Title(panel)}': datasource uid is '{DatasourceUid(panel)}', not '{DatasourceReference}'");
            foreach (var target in Items(panel, "targets").Where(t => DatasourceUid(t) != DatasourceReference))
                problems.Add($"panel '{Title(panel)}', query {Text(target, "refId")}: datasource uid is '{DatasourceUid(target)}', not '{DatasourceReference}'");
        }

        AssertNone(problems);
    }

    [Fact]
    public void EveryQueryPanel_HasAQuery()
    {
        var empty = QueryPanels()
            .Where(p => !Items(p, "targets").Any(t => !string.IsNullOrWhiteSpace(Text(t, "expr"))))
            .Select(p => $"panel '{Title(p)}': no query with an expr")
            .ToList();

        AssertNone(empty);
    }

    // ---- metrics ----------------------------------------------------------------------------

    [Fact]
    public void AviaryMetrics_AreOnesTheSiloExports()
    {
        var exported = ExportedAviaryMetrics();

        var unknown = Queries().Concat(VariableQueries())
            .SelectMany(q => q.Metrics.Where(m => m.Name.StartsWith("aviary_", StringComparison.Ordinal) && !exported.Contains(m.Name))
                .Select(m => $"{q.Origin}: {m.Name} is not exported by the silo (known: {string.Join(", ", exported.Order(StringComparer.Ordinal))})"))
            .Distinct()
            .ToList();

        AssertNone(unknown);
    }

    [Fact]
    public void EveryQuery_ReadsAMetricOfAKnownFamily()
    {
        var problems = new List<string>();
        foreach (var query in Queries())
        {
            if (query.Metrics.Count == 0)
                problems.Add($"{query.Origin}: '{query.Expr}' reads no metric starting with {string.Join(", ", MetricPrefixes)}");
            problems.AddRange(query.Metrics.Where(m => !MetricName.IsMatch(m.Name)).Select(m => $"{query.Origin}: '{m.Name}' is not a metric name"));
        }

        AssertNone(problems);
    }

    [Fact]
    public void EveryMetric_IsFilteredByTheNamespaceAndPodVariables()
    {
        var problems = new List<string>();
        foreach (var query in Queries())
        {
            foreach (var metric in query.Metrics)
            {
                var matchers = Matchers(metric.Selector);
                foreach (var label in FilterLabels.Where(l => !matchers.Any(m => m.Label == l && m.Op == "=~" && m.Value == $"${l}")))
                    problems.Add($"{query.Origin}: {metric.Name} is not filtered by {label}=~\"${label}\"");
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void LabelValues_AreOnesTheSiloRecords()
    {
        var problems = new List<string>();
        foreach (var query in Queries())
        {
            foreach (var metric in query.Metrics)
            {
                foreach (var (label, op, value) in Matchers(metric.Selector))
                {
                    if (!RecordedLabelValues.TryGetValue((metric.Name, label), out var recorded))
                        continue;
                    var values = op is "=~" or "!~" ? value.Split('|') : [value];
                    problems.AddRange(values
                        .Where(v => Regex.IsMatch(v, "^[A-Za-z0-9_-]+$") && !recorded.Contains(v))
                        .Select(v => $"{query.Origin}: {metric.Name}{{{label}}} is never '{v}' (the silo records {string.Join(", ", recorded)})"));
                }
            }
        }

        AssertNone(problems);
    }

    // ---- Prometheus -------------------------------------------------------------------------

    [Fact]
    public void PrometheusJobs_ScrapeTheSilosMetricsPath()
    {
        var jobs = PrometheusJobs();

        var wrong = jobs
            .Where(j => Scalar(j, "metrics_path") is { } path && path != MetricsPath)
            .Select(j => $"{PrometheusFile}: job {Scalar(j, "job_name")} scrapes metrics_path {Scalar(j, "metrics_path")}, the silo serves {MetricsPath}")
            .ToList();

        Assert.NotEmpty(jobs);
        AssertNone(wrong);
    }

    [Fact]
    public void PrometheusJobs_SetTheLabelsTheDashboardFiltersOn()
    {
        var problems = new List<string>();
        foreach (var job in PrometheusJobs())
        {
            var labels = Sequence(job, "static_configs").SelectMany(c => Mapping(c, "labels")?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "") ?? Enumerable.Empty<string>())
                .Concat(Sequence(job, "relabel_configs").Select(r => Scalar(r, "target_label") ?? ""))
                .ToHashSet(StringComparer.Ordinal);
            problems.AddRange(FilterLabels.Where(l => !labels.Contains(l)).Select(l => $"{PrometheusFile}: job {Scalar(job, "job_name")} sets no '{l}' label, which every dashboard query filters on"));
        }

        AssertNone(problems);
    }

    // ---- what the silo exports --------------------------------------------------------------

    /// <summary>
    /// The Prometheus names of the instruments on the meter "Aviary", as prometheus-net's meter adapter
    /// names them: "aviary_" + the instrument name with dots as underscores; a histogram is also read
    /// through its _bucket, _sum and _count series.
    /// </summary>
    private static HashSet<string> ExportedAviaryMetrics()
    {
        // Both classes create their instruments in static initializers: touch them first.
        _ = AviaryMeters.CheckLateness;
        AviaryGauges.Register();

        var instruments = new List<Instrument>();
        using (var listener = new MeterListener())
        {
            // Start() reports every instrument that already exists, synchronously.
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == AviaryMeters.MeterName)
                    instruments.Add(instrument);
            };
            listener.Start();
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            var name = "aviary_" + instrument.Name.Replace('.', '_');
            names.Add(name);
            var type = instrument.GetType();
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>))
                names.UnionWith(HistogramSuffixes.Select(s => name + s));
        }
        Assert.NotEmpty(names);
        return names;
    }

    // ---- reading the dashboard --------------------------------------------------------------

    private sealed record MetricRef(string Name, string Selector);

    /// <summary>A PromQL expression, where it is (a panel or a template variable) and the metrics it reads.</summary>
    private sealed record Query(string Origin, string Expr, List<MetricRef> Metrics);

    private static JsonElement Dashboard()
    {
        var text = File.ReadAllText(InRepo(DashboardFile));
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{DashboardFile}: not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Every panel, rows included, and the panels inside collapsed rows.</summary>
    private static List<JsonElement> Panels(JsonElement dashboard)
    {
        var panels = new List<JsonElement>();
        foreach (var panel in Items(dashboard, "panels"))
        {
            panels.Add(panel);
            panels.AddRange(Items(panel, "panels"));
        }
        return panels;
    }

    /// <summary>Panels that query a data source: all but rows.</summary>
    private static List<JsonElement> QueryPanels() => [.. Panels(Dashboard()).Where(p => Text(p, "type") != "row")];

    private static List<Query> Queries() =>
        [.. QueryPanels().SelectMany(p => Items(p, "targets")
            .Select(t => Text(t, "expr") ?? "")
            .Where(e => e.Length > 0)
            .Select(e => new Query($"panel '{Title(p)}'", e, MetricsIn(e))))];

    private static List<Query> VariableQueries() =>
        [.. Items(Dashboard(), "templating", "list")
            .Where(v => Text(v, "type") == "query" && Text(v, "query") is { Length: > 0 })
            .Select(v => new Query($"variable '{Text(v, "name")}'", Text(v, "query")!, MetricsIn(Text(v, "query")!)))];

    /// <summary>
    /// The metrics a PromQL expression reads, each with its selector (the text between braces after
    /// its name, or ""). Only names of the known families count; string literals are skipped, so a
    /// label value never reads as a metric.
    /// </summary>
    private static List<MetricRef> MetricsIn(string expr)
    {
        var metrics = new List<MetricRef>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expr, i);
            }
            else if (char.IsLetter(c) || c is '_' or ':' or '$')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] is '_' or ':' or '$'))
                    i++;
                var name = expr[start..i];
                if (!MetricPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                    continue;
                var j = i;
                while (j < expr.Length && char.IsWhiteSpace(expr[j]))
                    j++;
                var selector = "";
                if (j < expr.Length && expr[j] == '{')
                {
                    var end = j + 1;
                    while (end < expr.Length && expr[end] != '}')
                        end = expr[end] == '"' ? SkipString(expr, end) : end + 1;
                    selector = expr[(j + 1)..Math.Min(end, expr.Length)];
                    i = Math.Min(end + 1, expr.Length);
                }
                metrics.Add(new MetricRef(name, selector));
            }
            else
            {
                i++;
            }
        }
        return metrics;
    }

    /// <summary>The index just past the string literal that starts at <paramref name="start"/>.</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        return Math.Min(i + 1, text.Length);
    }

    private static List<(string Label, string Op, string Value)> Matchers(string selector) =>
        [.. LabelMatcher.Matches(selector).Select(m => (m.Groups["label"].Value, m.Groups["op"].Value, m.Groups["value"].Value))];

    private static string? DatasourceUid(JsonElement element) =>
        element.TryGetProperty("datasource", out var ds) ? ds.ValueKind switch
        {
            JsonValueKind.Object => Text(ds, "uid"),
            JsonValueKind.String => ds.GetString(),
            _ => null,
        } : null;

    private static string Title(JsonElement panel) => Text(panel, "title") ?? $"(untitled, id {(panel.TryGetProperty("id", out var id) ? id.ToString() : "none")})";

    private static string Titles(IEnumerable<JsonElement> panels) => string.Join(", ", panels.Select(p => $"'{Title(p)}'"));

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<JsonElement> Items(JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
                return [];
        }
        return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
    }

    // ---- reading prometheus.yml -------------------------------------------------------------

    private static List<YamlMappingNode> PrometheusJobs()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(InRepo(PrometheusFile), Encoding.UTF8))
            stream.Load(reader);
        return [.. Sequence(stream.Documents.Single().RootNode, "scrape_configs")];
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static YamlMappingNode? Mapping(YamlNode? node, string key) => Child(node, key) as YamlMappingNode;

    private static IEnumerable<YamlMappingNode> Sequence(YamlNode? node, string key) =>
        Child(node, key) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];
}

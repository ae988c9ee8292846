namespace Aviary.Agents.Data;

/// <summary>Charts of a dataset's columns with ScottPlot: histogram, bar, line and scatter, as PNG or SVG.</summary>
public static class Visualizer
{
    public const int Width = 800;
    public const int Height = 500;

    /// <summary>Distribution of a numeric column in <paramref name="bins"/> equal-width bins.</summary>
    public static void Histogram(Dataset data, string column, string path, int bins = 20)
    {
        var values = Numbers(data, column);
        var plot = new ScottPlot.Plot();
        if (values.Count > 0)
        {
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, values.Min(), values.Max() + 1e-9);
            histogram.AddRange(values);
            plot.Add.Bars(histogram.Bins, histogram.Counts);
        }
        Save(plot, $"{column}: distribution", column, "count", path);
    }

    /// <summary>One bar per category, e.g. an aggregator's sums.</summary>
    public static void Bar(IReadOnlyList<string> labels, IReadOnlyList<double> values, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Bars(values.ToArray());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        Save(plot, title, "", "", path);
    }

    /// <summary>A numeric column against row order.</summary>
    public static void Line(Dataset data, string column, string path)
    {
        var values = Numbers(data, column);
        var plot = new ScottPlot.Plot();
        plot.Add.Signal(values.ToArray());
        Save(plot, $"{column} by row", "row", column, path);
    }

    /// <summary>Two numeric columns against each other (rows where both are numbers).</summary>
    public static void Scatter(Dataset data, string x, string y, string path)
    {
        var xi = data.ColumnIndex(x);
        var yi = data.ColumnIndex(y);
        if (xi < 0 || yi < 0)
            throw new ArgumentException($"no column '{(xi < 0 ? x : y)}'");
        var points = data.Rows
            .Where(r => r[xi] is { } a && Explorer.TryNumber(a, out _) && r[yi] is { } b && Explorer.TryNumber(b, out _))
            .Select(r => { Explorer.TryNumber(r[xi]!, out var a); Explorer.TryNumber(r[yi]!, out var b); return (a, b); })
            .ToArray();
        var plot = new ScottPlot.Plot();
        var scatter = plot.Add.ScatterPoints(points.Select(p => p.a).ToArray(), points.Select(p => p.b).ToArray());
        scatter.MarkerSize = 4;
        Save(plot, $"{y} against {x}", x, y, path);
    }

    private static List<double> Numbers(Dataset data, string column)
    {
        var i = data.ColumnIndex(column);
        if (i < 0)
            throw new ArgumentException($"no column '{column}'");
        return Explorer.Numbers(data.Rows.Select(r => r[i]));
    }

    private static void Save(ScottPlot.Plot plot, string title, string x, string y, string path)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
            plot.SaveSvg(path, Width, Height);
        else
            plot.SavePng(path, Width, Height);
    }
}

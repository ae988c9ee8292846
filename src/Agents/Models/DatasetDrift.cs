using Aviary.Agents.Data;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Drift of a whole dataset against a reference dataset, column by column: the reference's
/// number columns by PSI on its decile bins and the Kolmogorov–Smirnov test exact on the raw
/// values, its category columns by PSI and chi-square on their bins. Text columns (too many
/// distinct values) and columns the data lacks are left out.
/// </summary>
public static class DatasetDrift
{
    public static DriftReport Compare(Dataset reference, Dataset data, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(data);
        var schema = DatasetSchema.Learn(reference);
        var results = new List<FeatureDrift>();
        foreach (var column in schema.Columns)
        {
            var c = data.ColumnIndex(column.Name);
            if (c < 0 || column.Type == ColumnTypes.Text)
                continue;
            var r = reference.ColumnIndex(column.Name);
            results.Add(ColumnTypes.IsNumeric(column.Type)
                ? Numeric(column.Name, Explorer.Numbers(Cells(reference, r)), Cells(data, c), thresholds)
                : Category(column.Name, Cells(reference, r), Cells(data, c), thresholds));
        }
        return new DriftReport(results, results.Any(f => f.Drifted));
    }

    private static FeatureDrift Numeric(string name, List<double> referenceValues, IEnumerable<string?> cells, DriftThresholds thresholds)
    {
        var feature = ReferenceProfiles.Numeric(name, referenceValues); // sorts the values
        var counts = new long[feature.Bins];
        var values = new List<double>();
        long missing = 0;
        foreach (var cell in cells)
        {
            if (cell is not null && Explorer.TryNumber(cell, out var value))
            {
                counts[FeatureBinning.Bin(feature, value)]++;
                values.Add(value);
            }
            else
            {
                missing++;
            }
        }
        var binned = DriftCheck.Compare(feature, counts, missing, thresholds);
        if (binned.Band == DriftCheck.NotEnoughData)
            return binned;
        values.Sort();
        var d = KolmogorovSmirnov.Statistic(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(referenceValues), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
        var p = KolmogorovSmirnov.PValue(d, referenceValues.Count, values.Count);
        return binned with { Statistic = d, PValue = p, Drifted = thresholds.IsDrift(binned.Psi, p) };
    }

    private static FeatureDrift Category(string name, IEnumerable<string?> referenceCells, IEnumerable<string?> cells, DriftThresholds thresholds)
    {
        var feature = ReferenceProfiles.Category(name, referenceCells);
        var counts = new long[feature.Bins];
        long missing = 0;
        foreach (var cell in cells)
        {
            var bin = FeatureBinning.Bin(feature, cell);
            if (bin == FeatureBinning.Missing)
                missing++;
            else
                counts[bin]++;
        }
        return DriftCheck.Compare(feature, counts, missing, thresholds);
    }

    private static IEnumerable<string?> Cells(Dataset data, int column) =>
        data.Rows.Select(row => column < row.Length ? row[column] : null);
}

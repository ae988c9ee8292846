namespace Aviary.Agents.Data;

/// <summary>A table as loaded: column names and rows of raw cell text (null when missing).</summary>
public sealed class Dataset(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows)
{
    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<string?[]> Rows { get; } = rows;

    /// <summary>Rows that repeat an earlier row cell for cell (missing cells included).</summary>
    public int DuplicateRows()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Rows.Count(row => !seen.Add(string.Join('\u001F', row.Select(c => c ?? "\u0000"))));
    }

    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }
}

using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// Dataset rows encoded for a model: one flat float array of features and the targets, for the
/// rows whose target could be read (<see cref="Dropped"/> counts the others).
/// </summary>
public sealed class EncodedRows
{
    private EncodedRows(float[] features, int width, float[]? numbers, bool[]? classes, int dropped)
    {
        Features = features;
        Width = width;
        Numbers = numbers;
        Classes = classes;
        Dropped = dropped;
    }

    public float[] Features { get; }

    public int Width { get; }

    /// <summary>Regression targets.</summary>
    public float[]? Numbers { get; }

    /// <summary>Binary targets.</summary>
    public bool[]? Classes { get; }

    public int Dropped { get; }

    public int Count => Features.Length / Width;

    public ArrayDataView ToDataView() => new(Features, Width, Numbers, Classes);

    /// <summary>The given rows (all when null) whose target reads as the task's kind.</summary>
    public static EncodedRows Encode(Dataset data, FeatureEncoder encoder, string task, string target, IReadOnlyList<int>? rows = null)
    {
        var t = data.ColumnIndex(target);
        if (t < 0)
            throw new ArgumentException($"target '{target}': the dataset has no such column");
        var columns = encoder.Columns(data);
        var count = rows?.Count ?? data.Rows.Count;
        var binary = task == ModelTasks.Binary;
        var width = encoder.Length;
        // Sized for every row; trimmed once at the end if some targets were unreadable.
        var features = new float[(long)count * width];
        var numbers = binary ? null : new float[count];
        var classes = binary ? new bool[count] : null;
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var row = data.Rows[rows?[i] ?? i];
            var cell = t < row.Length ? row[t] : null;
            if (binary)
            {
                if (!ModelTasks.TryBinary(cell, out classes![kept]))
                    continue;
            }
            else
            {
                if (cell is null || !Explorer.TryNumber(cell, out var value))
                    continue;
                numbers![kept] = (float)value;
            }
            encoder.Encode(row, columns, features.AsSpan(kept * width, width));
            kept++;
        }
        if (kept < count)
        {
            Array.Resize(ref features, kept * width);
            if (numbers is not null)
                Array.Resize(ref numbers, kept);
            if (classes is not null)
                Array.Resize(ref classes, kept);
        }
        return new EncodedRows(features, width, numbers, classes, count - kept);
    }
}

using System.Text.Json;
using Aviary.Agents.Data;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Turns a row's features into the model's one float vector (<see cref="CardFeature"/> says
/// where each goes). Built once per model; encoding allocates nothing.
/// </summary>
public sealed class FeatureEncoder
{
    private readonly CardFeature[] _features;
    private readonly Dictionary<string, int>[] _slots;

    public FeatureEncoder(IReadOnlyList<CardFeature> features)
    {
        _features = [.. features];
        _slots = [.. _features.Select(f => (f.Categories ?? []).Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal))];
        Length = _features.Length == 0 ? 0 : _features[^1].Offset + _features[^1].Width;
    }

    public int Length { get; }

    public IReadOnlyList<CardFeature> Features => _features;

    /// <summary>
    /// The features learned from training rows: a number's mean over its present values, a
    /// category's most frequent values (at most <see cref="ReferenceProfiles.MaxCategories"/>).
    /// </summary>
    public static CardFeature[] Fit(Dataset data, IReadOnlyList<(string Name, string Kind)> features, IReadOnlyList<int> rows)
    {
        var result = new CardFeature[features.Count];
        var offset = 0;
        for (var f = 0; f < features.Count; f++)
        {
            var (name, kind) = features[f];
            var c = data.ColumnIndex(name);
            var feature = new CardFeature { Name = name, Kind = kind, Offset = offset };
            if (kind == FeatureKinds.Numeric)
            {
                double sum = 0;
                long count = 0;
                foreach (var r in rows)
                {
                    if (Cell(data.Rows[r], c) is { } cell && Explorer.TryNumber(cell, out var value))
                    {
                        sum += value;
                        count++;
                    }
                }
                feature = feature with { Mean = count == 0 ? 0 : sum / count };
            }
            else
            {
                feature = feature with { Categories = ReferenceProfiles.Category(name, rows.Select(r => Cell(data.Rows[r], c))).Categories };
            }
            result[f] = feature;
            offset += feature.Width;
        }
        return result;
    }

    public EncoderDescription Describe() => new()
    {
        Length = Length,
        Slots = [.. _features.SelectMany(f => f.Categories is { } categories ? categories.Select(c => $"{f.Name}={c}") : [f.Name])],
    };

    /// <summary>Where each feature is in a dataset's columns; a missing column is refused, naming the feature.</summary>
    public int[] Columns(Dataset data) =>
        [.. _features.Select(f => data.ColumnIndex(f.Name) is var c and >= 0 ? c : throw new ArgumentException($"feature '{f.Name}': the dataset has no such column"))];

    /// <summary>A dataset row (cells as text) into <paramref name="into"/>; unreadable numbers count as missing.</summary>
    public void Encode(string?[] row, int[] columns, Span<float> into)
    {
        into[..Length].Clear();
        for (var f = 0; f < _features.Length; f++)
        {
            var feature = _features[f];
            var cell = Cell(row, columns[f]);
            if (feature.Categories is null)
                into[feature.Offset] = (float)(cell is not null && Explorer.TryNumber(cell, out var value) ? value : feature.Mean ?? 0);
            else if (cell is not null && _slots[f].TryGetValue(cell, out var slot))
                into[feature.Offset + slot] = 1;
        }
    }

    /// <summary>
    /// A request's features (JSON values by name) into <paramref name="into"/>. Every feature of
    /// the model must be there; others are ignored (versions of one model trained on different
    /// features serve the same requests behind one service). A number must be a JSON number (null:
    /// missing), a category a string (a number or boolean is read as its text; null: missing).
    /// Breaking a rule is an <see cref="ArgumentException"/> naming the feature.
    /// </summary>
    public void Encode(IReadOnlyDictionary<string, JsonElement> input, Span<float> into)
    {
        ArgumentNullException.ThrowIfNull(input);
        into[..Length].Clear();
        for (var f = 0; f < _features.Length; f++)
        {
            var feature = _features[f];
            if (!input.TryGetValue(feature.Name, out var element))
                throw new ArgumentException($"feature '{feature.Name}' is missing");
            if (feature.Categories is null)
            {
                into[feature.Offset] = element.ValueKind switch
                {
                    JsonValueKind.Number when element.TryGetDouble(out var value) && double.IsFinite(value) => (float)value,
                    JsonValueKind.Null => (float)(feature.Mean ?? 0),
                    _ => throw new ArgumentException($"feature '{feature.Name}' must be a number or null (got {Describe(element)})"),
                };
            }
            else
            {
                var found = element.ValueKind switch
                {
                    JsonValueKind.String => _slots[f].TryGetValue(element.GetString()!, out var slot) ? slot : -1,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => _slots[f].TryGetValue(element.GetRawText(), out var slot) ? slot : -1,
                    JsonValueKind.Null => -1,
                    _ => throw new ArgumentException($"feature '{feature.Name}' must be a category (a string) or null (got {Describe(element)})"),
                };
                if (found >= 0)
                    into[feature.Offset + found] = 1;
            }
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => element.ValueKind.ToString(),
    };


    private static string? Cell(string?[] row, int column) => column < row.Length ? row[column] : null;
}

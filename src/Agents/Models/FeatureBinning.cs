using System.Globalization;
using System.Text.Json;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Which bin of a <see cref="FeatureReference"/> a value falls in: a number in the bin of the
/// edges at or below it (bin i holds values below Edges[i], the last the rest), a category in its
/// own bin or the last (other). A missing value, or one that cannot be read as the feature's kind,
/// is <see cref="Missing"/>. Allocates nothing.
/// </summary>
public static class FeatureBinning
{
    public const int Missing = -1;

    public static int Bin(FeatureReference feature, double value)
    {
        if (feature.Kind == FeatureKinds.Category)
            return Bin(feature, value.ToString(CultureInfo.InvariantCulture));
        if (!double.IsFinite(value))
            return Missing;
        // The number of edges at or below the value: binary search for the first edge above it.
        var edges = feature.Edges;
        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle] <= value)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    public static int Bin(FeatureReference feature, string? value)
    {
        if (value is null)
            return Missing;
        if (feature.Kind != FeatureKinds.Category)
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Bin(feature, number) : Missing;
        var categories = feature.Categories;
        for (var i = 0; i < categories.Length; i++)
        {
            if (string.Equals(categories[i], value, StringComparison.Ordinal))
                return i;
        }
        return categories.Length;
    }

    /// <summary>A request's JSON value: a number, a category's text (a number or boolean as its text), anything else missing.</summary>
    public static int Bin(FeatureReference feature, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when feature.Kind == FeatureKinds.Numeric && value.TryGetDouble(out var number) => Bin(feature, number),
        JsonValueKind.String => Bin(feature, value.GetString()),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when feature.Kind == FeatureKinds.Category => Bin(feature, value.GetRawText()),
        _ => Missing,
    };
}

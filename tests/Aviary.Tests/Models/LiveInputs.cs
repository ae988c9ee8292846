using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

/// <summary>Live inputs as a model server reports them, for tests that play the server's part.</summary>
public static class LiveInputs
{
    /// <summary>An observation batch for <paramref name="rows"/> houses (at <paramref name="shift"/>) scored by <paramref name="version"/>: inputs in the card's reference bins.</summary>
    public static object Observation(ModelCard card, string version, int rows, int seed, double shift)
    {
        var data = ShiftingData.Generate(rows, seed, shift);
        var features = card.Reference.Features.Select(f =>
        {
            var column = data.ColumnIndex(f.Name);
            var counts = new long[f.Bins];
            foreach (var row in data.Rows)
                counts[FeatureBinning.Bin(f, row[column])]++;
            return new { name = f.Name, counts, missing = 0L };
        }).ToArray();
        return new { version, requests = rows, features, predictions = Array.Empty<object>() };
    }
}

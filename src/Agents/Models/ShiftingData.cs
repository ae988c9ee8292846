using System.Globalization;
using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// Labelled houses whose distribution moves on request, for examples and tests; the same for the
/// same rows, seed and shift. Inputs <c>sqft</c>, <c>age</c>, <c>rooms</c>, <c>distance</c> and
/// <c>region</c>; targets <c>price</c> (regression, thousands) and <c>churn</c> (binary, true/false).
/// Shift 0 is the original distribution. Shift 1 moves <c>sqft</c> up by two standard deviations
/// and <c>age</c> by 25 years (PSI far above 0.25 on both), reverses the regions' mix, and changes
/// the relationships: age raises the price instead of lowering it, size counts for less, and
/// distance and region flip their effect on churn. Shifts between 0 and 1 interpolate.
/// </summary>
public static class ShiftingData
{
    public static readonly string[] Columns = ["sqft", "age", "rooms", "distance", "region", "price", "churn"];

    private static readonly string[] Regions = ["north", "south", "east", "west", "central"];
    private static readonly double[] RegionShare = [0.35, 0.25, 0.2, 0.12, 0.08];
    private static readonly double[] RegionPrice = [40, -10, 15, -25, 60];
    private static readonly double[] RegionChurn = [-0.8, 0.4, 0.9, -0.3, 0.2];

    public static Dataset Generate(int rows, int seed, double shift)
    {
        if (rows < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must not be negative");
        if (!(shift is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift must be between 0 and 1");
        var random = new Random(seed);
        var c = CultureInfo.InvariantCulture;
        var data = new string?[rows][];
        for (var i = 0; i < rows; i++)
        {
            var sqft = Math.Max(300, 1500 + 800 * shift + 400 * Normal(random));
            var age = random.Next(0, 41) + (int)Math.Round(25 * shift);
            var rooms = Math.Clamp((int)Math.Round(sqft / 450 + Normal(random) * 0.7), 1, 9);
            var distance = Math.Round(0.5 + 14.5 * random.NextDouble(), 2);
            var region = PickRegion(random, shift);

            var price = 50 + (0.15 - 0.07 * shift) * sqft + (-1.5 + 3.0 * shift) * age + 6 * rooms - 2.5 * distance
                + RegionPrice[region] * (1 - 2 * shift) + 15 * Normal(random);
            var flip = 1 - 2 * shift;
            var logit = flip * (0.45 * (distance - 7.75) + 1.5 * RegionChurn[region]) - 0.02 * (age - 20);
            var churn = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            data[i] =
            [
                Math.Round(sqft).ToString(c),
                age.ToString(c),
                rooms.ToString(c),
                distance.ToString(c),
                Regions[region],
                Math.Round(price, 1).ToString(c),
                churn ? "true" : "false",
            ];
        }
        return new Dataset(Columns, data);
    }

    /// <summary>Writes <see cref="Generate"/>'s rows as CSV (the data loader's input).</summary>
    public static void WriteCsv(string path, int rows, int seed, double shift) =>
        DatasetWriter.Write(Generate(rows, seed, shift), "csv", path);

    private static int PickRegion(Random random, double shift)
    {
        // The mix moves from RegionShare to its reverse.
        var u = random.NextDouble();
        for (var r = 0; r < Regions.Length; r++)
        {
            u -= RegionShare[r] * (1 - shift) + RegionShare[Regions.Length - 1 - r] * shift;
            if (u < 0)
                return r;
        }
        return Regions.Length - 1;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

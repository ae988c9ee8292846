using System.Globalization;

namespace Aviary.Agents.Data;

/// <summary>
/// Sales orders for trying the data agents, the same for the same seed. Messy data adds what real
/// exports have: missing values (~3 % of cells, about one row in five), duplicate rows (~2 %), outliers (~1 %) and a price column
/// with text in it ("n/a", decimal commas).
/// </summary>
public static class DataGenerator
{
    public static readonly string[] Columns = ["order_id", "date", "region", "product", "units", "unit_price", "discount", "customer_age"];

    private static readonly string[] Regions = ["north", "south", "east", "west"];
    private static readonly (string Name, double Price)[] Products = [("widget", 9.5), ("gadget", 24.0), ("gizmo", 4.25), ("doohickey", 61.0)];

    public static Dataset Generate(int rows, bool messy, int seed = 42)
    {
        if (rows < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), "must not be negative");
        var random = new Random(seed);
        var start = new DateOnly(2026, 1, 1);
        var data = new List<string?[]>(rows);
        for (var i = 0; i < rows; i++)
        {
            if (messy && data.Count > 0 && random.NextDouble() < 0.02)
            {
                data.Add((string?[])data[random.Next(data.Count)].Clone()); // an exported row twice
                continue;
            }
            var (product, price) = Products[random.Next(Products.Length)];
            var units = 1 + random.Next(20);
            if (messy && random.NextDouble() < 0.01)
                units *= 50; // a fat-fingered quantity
            var row = new string?[]
            {
                (100_000 + i).ToString(CultureInfo.InvariantCulture),
                start.AddDays(random.Next(330)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Regions[random.Next(Regions.Length)],
                product,
                units.ToString(CultureInfo.InvariantCulture),
                Math.Round(price * (0.9 + random.NextDouble() * 0.2), 2).ToString(CultureInfo.InvariantCulture),
                (random.Next(4) * 0.05).ToString("0.00", CultureInfo.InvariantCulture),
                (18 + random.Next(60)).ToString(CultureInfo.InvariantCulture),
            };
            if (messy)
            {
                for (var c = 1; c < row.Length; c++)
                {
                    if (random.NextDouble() < 0.05 / (row.Length - 1) * 4)
                        row[c] = null;
                }
                if (random.NextDouble() < 0.01)
                    row[5] = random.Next(2) == 0 ? "n/a" : row[5]?.Replace('.', ',');
            }
            data.Add(row);
        }
        return new Dataset(Columns, data);
    }
}

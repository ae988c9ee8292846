using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class AggregatorAndAnomalyTests
{
    private static Dataset Table(string[] columns, params string?[][] rows) => new(columns, rows);

    [Fact]
    public void GroupBy_CountsAndSumsPerKey_MissingKeysAndNonNumbersAccountedFor()
    {
        var data = Table(["region", "units"],
            ["north", "2"], ["south", "4"], ["north", "6"], [null, "1"], ["south", "n/a"], ["north", null]);

        var groups = Aggregator.GroupBy(data, "region", "units");

        Assert.Equal(
            [
                new GroupRow(Aggregator.MissingKey, 1, 1, 1, 1, 1, 1),
                new GroupRow("north", 3, 2, 8, 4, 2, 6),
                new GroupRow("south", 2, 1, 4, 4, 4, 4),
            ],
            groups);
    }

    [Fact]
    public void GroupBy_UnknownColumn_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Aggregator.GroupBy(Table(["a"], ["1"]), "a", "zzz"));

        Assert.StartsWith("no column 'zzz'", error.Message);
    }

    [Fact]
    public void Detect_FlagsTheOutlierByIqr_AndByZScoreWhenFarEnough()
    {
        // Ten values of 10 and one of 100: mean 18.18, sample std 27.14, z(100) = 3.02;
        // Q1 = Q3 = 10, so the IQR fences are 10..10 and only 100 falls outside.
        var rows = Enumerable.Repeat(new string?[] { "10" }, 10).Append(["100"]).ToArray();

        var anomalies = AnomalyDetector.Detect(Table(["x"], rows));

        Assert.Equal([new Anomaly("x", 10, 100, "z-score"), new Anomaly("x", 10, 100, "iqr")], anomalies);
    }

    [Fact]
    public void Detect_CleanColumn_FlagsNothing()
    {
        Assert.Empty(AnomalyDetector.Detect(Table(["x"], ["1"], ["2"], ["3"], ["4"], ["5"])));
    }
}

using Aviary.Agents.Data;
using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

public sealed class SchemaCheckTests
{
    private static readonly DatasetSchema Schema = new()
    {
        Columns =
        [
            new SchemaColumn { Name = "age", Type = ColumnTypes.Integer, Min = 0, Max = 100 },
            new SchemaColumn { Name = "region", Type = ColumnTypes.Category, Categories = ["n", "s"], MaxMissing = 0.2 },
            new SchemaColumn { Name = "score", Type = ColumnTypes.Number },
        ],
    };

    [Fact]
    public void Check_ConformingData_NoViolations()
    {
        var data = new Dataset(["age", "region", "score"], [["1", "n", "0.5"], ["100", "s", "-3"], ["0", null, "1e3"], ["7", "n", "2"], ["8", "s", "2"]]);

        Assert.Empty(SchemaCheck.Check(data, Schema));
    }

    [Fact]
    public void Check_EveryKindOfViolation_CountedAndNamed()
    {
        var data = new Dataset(["age", "region"],
        [
            ["-1", "n"], ["101", "e"], ["200", "w"], ["1.5", null], ["x", null], ["5", "e"],
        ]);

        var violations = SchemaCheck.Check(data, Schema);

        Assert.Equal(
        [
            ("age", "type", 2), ("age", "range", 3), ("region", "category", 3), ("region", "missing-share", 2), ("score", "missing-column", 0),
        ], violations.Select(v => (v.Column, v.Rule, v.Rows)));
        Assert.Equal("column 'age': 3 value(s) outside [0, 100] (1 below, 2 above)", violations[1].Message);
        Assert.Equal("column 'region': 3 value(s) not among its categories, e.g. 'e', 'w'", violations[2].Message);
        Assert.Equal("column 'region': 33.3 % missing, more than the 20.0 % allowed", violations[3].Message);
        Assert.Equal("column 'score' is missing", violations[4].Message);
    }

    [Fact]
    public void Check_RangeWithATolerance_FailsOnlyPastIt()
    {
        var schema = new DatasetSchema { Columns = [new SchemaColumn { Name = "x", Min = 0, Max = 10, MaxOutOfRange = 0.1 }] };
        var oneInTen = new Dataset(["x"], [.. Enumerable.Range(0, 10).Select(i => new string?[] { i == 0 ? "11" : "5" })]);
        var twoInTen = new Dataset(["x"], [.. Enumerable.Range(0, 10).Select(i => new string?[] { i < 2 ? "-1" : "5" })]);

        Assert.Empty(SchemaCheck.Check(oneInTen, schema));
        Assert.Equal("column 'x': 2 value(s) outside [0, 10] (2 below, 0 above), more than the 10.0 % allowed", Assert.Single(SchemaCheck.Check(twoInTen, schema)).Message);
    }

    [Fact]
    public void Check_AgainstTheSchemaLearnedFromItself_Passes()
    {
        var data = ShiftingData.Generate(500, seed: 3, shift: 0);

        Assert.Empty(SchemaCheck.Check(data, DatasetSchema.Learn(data)));
    }
}

using Aviary.Agents.Data;
using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

public sealed class DatasetSchemaTests
{
    [Fact]
    public void Learn_TypesRangesCategoriesAndMissingShare()
    {
        var rows = Enumerable.Range(0, 60).Select(i => new string?[] { $"{i}", $"{i / 2.0}", i % 3 == 0 ? "a" : "b", $"id-{i}", i < 6 ? null : "x" }).ToList();

        var schema = DatasetSchema.Learn(new Dataset(["n", "x", "c", "t", "m"], rows));

        var (n, x, c, t, m) = (schema.Columns[0], schema.Columns[1], schema.Columns[2], schema.Columns[3], schema.Columns[4]);
        Assert.Equal(("integer", 0.0, 59.0), (n.Type, n.Min, n.Max));
        Assert.Equal(("number", 0.0, 29.5), (x.Type, x.Min, x.Max));
        Assert.Equal("category", c.Type);
        Assert.Equal(["a", "b"], c.Categories!);
        Assert.Equal(("text", null), (t.Type, t.Categories)); // 60 distinct values: more than 50
        Assert.Equal((0.02, 0.0), (n.MaxOutOfRange, c.MaxOutOfRange));
        Assert.Equal(0, n.MaxMissing);
        Assert.Equal(0.16, m.MaxMissing); // 10 % missing: ⌈(0.1·1.5 + 0.01)·1000⌉/1000
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.001, 0.012)]
    [InlineData(0.5, 0.76)]
    [InlineData(0.9, 1.0)]
    public void RoundUpMissing_HalfAgainPlusAPoint(double share, double expected) =>
        Assert.Equal(expected, DatasetSchema.RoundUpMissing(share), 12);

    [Fact]
    public void Parse_ValidJson_ReadsTheColumns()
    {
        var schema = DatasetSchema.Parse("""{"columns":[{"name":"age","type":"integer","min":0,"max":120,"maxMissing":0.05},{"name":"region","type":"category","categories":["n","s"]}]}""");

        Assert.Equal(("age", "integer", 0.0, 120.0, 0.05), (schema.Columns[0].Name, schema.Columns[0].Type, schema.Columns[0].Min, schema.Columns[0].Max, schema.Columns[0].MaxMissing));
        Assert.Equal(["n", "s"], schema.Columns[1].Categories!);
    }

    [Theory]
    [InlineData("""{"columns":[{"name":"a"},{"name":"b"},{"name":"c","maxMissing":1.5}]}""", "columns[2].maxMissing must be between 0 and 1")]
    [InlineData("""{"columns":[{"name":"a","type":"float"}]}""", "columns[0].type must be one of number, integer, category, text (got 'float')")]
    [InlineData("""{"columns":[{"name":""}]}""", "columns[0].name must not be empty")]
    [InlineData("""{"columns":[{"name":"a"},{"name":"A"}]}""", "columns[1].name 'A' repeats an earlier column")]
    [InlineData("""{"columns":[{"name":"a","min":5,"max":1}]}""", "columns[0].min must not be above max (5 > 1)")]
    [InlineData("""{"columns":[{"name":"a","type":"text","min":1}]}""", "columns[0].min and max apply to number and integer columns only")]
    [InlineData("""{"columns":[{"name":"a","categories":["x"]}]}""", "columns[0].categories apply to category columns only")]
    [InlineData("""{"columns":[]}""", "columns must list at least one column")]
    [InlineData("""{"columns":[{"name":"a","maxOutOfRange":-0.1}]}""", "columns[0].maxOutOfRange must be between 0 and 1")]
    public void Parse_BreakingARule_NamesTheField(string json, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => DatasetSchema.Parse(json)).Message);

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetSchema.Parse("{columns: nope"));

        Assert.StartsWith("the schema is not valid JSON of the schema's shape", error.Message);
    }
}

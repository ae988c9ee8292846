using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class DataGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aviary-gen-").FullName;

    [Fact]
    public void SameSeed_SameFile_OtherSeed_OtherFile()
    {
        string Bytes(int seed, string name)
        {
            var path = Path.Combine(_dir, name);
            DatasetWriter.Write(DataGenerator.Generate(500, messy: true, seed), "csv", path);
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }

        Assert.Equal(Bytes(7, "a.csv"), Bytes(7, "b.csv"));
        Assert.NotEqual(Bytes(7, "c.csv"), Bytes(8, "d.csv"));
    }

    [Fact]
    public void Clean_HasNoMissingValuesOrDuplicates()
    {
        var data = DataGenerator.Generate(2_000, messy: false);

        Assert.Equal(2_000, data.Rows.Count);
        Assert.All(data.Rows, r => Assert.True(r.All(c => c is not null)));
        Assert.Equal(2_000, data.Rows.Select(r => string.Join(',', r)).Distinct().Count());
    }

    [Fact]
    public void Messy_HasMissingDuplicatesOutliersAndMixedTypes_ThatTheAgentsReport()
    {
        var path = Path.Combine(_dir, "messy.csv");
        DatasetWriter.Write(DataGenerator.Generate(5_000, messy: true), "csv", path);

        var loaded = DataLoader.Load(path);
        var profiles = Explorer.Profile(loaded.Data).ToDictionary(p => p.Name);

        Assert.InRange(loaded.DuplicateRows, 50, 150);
        Assert.True(profiles["units"].Missing > 0);
        Assert.Equal("mixed", profiles["unit_price"].Type);
        Assert.Contains(AnomalyDetector.Detect(loaded.Data), a => a.Column == "units");
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xlsx")]
    public void JsonAndXlsx_RoundTripThroughTheLoader(string format)
    {
        var data = DataGenerator.Generate(200, messy: false);
        var path = Path.Combine(_dir, $"sales.{format}");

        DatasetWriter.Write(data, format, path);
        var loaded = DataLoader.Load(path);

        Assert.Equal(format, loaded.Format);
        Assert.Equal(DataGenerator.Columns, loaded.Data.Columns);
        Assert.Equal(200, loaded.Data.Rows.Count);
        var original = Explorer.Profile(data).ToDictionary(p => p.Name);
        var read = Explorer.Profile(loaded.Data).ToDictionary(p => p.Name);
        Assert.Equal(original["units"].Mean!.Value, read["units"].Mean!.Value, 9);
        Assert.Equal(original["region"].Distinct, read["region"].Distinct);
        Assert.Equal(data.Rows[0][1], loaded.Data.Rows[0][1]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

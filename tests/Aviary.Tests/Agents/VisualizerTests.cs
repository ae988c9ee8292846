using System.Buffers.Binary;
using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class VisualizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aviary-charts-").FullName;
    private readonly Dataset _sales = DataGenerator.Generate(300, messy: true, seed: 3);

    [Fact]
    public void Png_Charts_AreRealImagesOfTheAskedSize()
    {
        var paths = new[] { "hist.png", "line.png", "scatter.png", "bar.png" }.Select(p => Path.Combine(_dir, p)).ToArray();

        Visualizer.Histogram(_sales, "units", paths[0]);
        Visualizer.Line(_sales, "unit_price", paths[1]);
        Visualizer.Scatter(_sales, "units", "unit_price", paths[2]);
        var groups = Aggregator.GroupBy(_sales, "region", "units");
        Visualizer.Bar(groups.Select(g => g.Key).ToList(), groups.Select(g => g.Sum).ToList(), "units by region", paths[3]);

        foreach (var path in paths)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.Equal(Visualizer.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(Visualizer.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }
    }

    [Fact]
    public void Svg_Chart_IsSvgWithItsTitle()
    {
        var path = Path.Combine(_dir, "hist.svg");

        Visualizer.Histogram(_sales, "customer_age", path);

        var svg = File.ReadAllText(path);
        Assert.Contains("<svg", svg);
        Assert.Contains("customer_age", svg);
    }

    [Fact]
    public void UnknownColumn_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Visualizer.Histogram(_sales, "nope", Path.Combine(_dir, "x.png")));

        Assert.StartsWith("no column 'nope'", error.Message);
    }

    [Fact]
    public async Task Agent_ChartKindThatIsAPath_IsRefusedBeforeAnyFileIsNamed()
    {
        var files = new Aviary.Agents.AgentFiles(_dir, Path.Combine(_dir, "out"));
        var agent = new VisualizerAgent(files);

        var result = await agent.ExecuteAsync(new Aviary.Agents.AgentRequest("run", "chart", 1, new Dictionary<string, string> { ["chart"] = "../../escape" }), CancellationToken.None);

        Assert.Equal(("InvalidInput", "input.chart must be histogram, line, scatter or bar (got '../../escape')"), (result.ErrorKind, result.Error));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

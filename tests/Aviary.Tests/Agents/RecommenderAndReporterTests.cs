using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class RecommenderAndReporterTests
{
    private static readonly Dataset Sales = new(["region", "units", "price"],
    [
        ["north", "2", "10"], ["south", null, "n/a"], ["north", "4", "12"], ["east", "400", "11"], ["west", "3", "9"],
        ["south", "5", "10"], ["north", "2", "10"], ["east", "3", "13"], ["west", null, "11"], ["south", "4", "10"],
    ]);

    [Fact]
    public void Findings_NameMissingMixedAndOutliers_MostSevereFirst()
    {
        var findings = Recommender.Recommend(Explorer.Profile(Sales), Sales.Rows.Count, duplicateRows: 1, AnomalyDetector.Detect(Sales));

        Assert.Equal(new Finding("high", "units", "20 % missing: impute or drop before modelling"), findings[0]);
        Assert.Contains(new Finding("medium", "price", "1 value(s) are not numbers in a numeric column: fix the source format"), findings);
        Assert.Contains(findings, f => f.Subject == "units" && f.Text.StartsWith("1 outlying value(s), up to 400"));
        Assert.Contains(new Finding("medium", "dataset", "1 duplicate row(s) (10 %): deduplicate before aggregating"), findings);
    }

    [Fact]
    public void Report_MarkdownAndHtml_CarryTheSameTablesEscaped()
    {
        var sections = new[]
        {
            Reporter.Profiles(Explorer.Profile(Sales)),
            Reporter.Groups("region", Aggregator.GroupBy(Sales, "region", "units")),
            Reporter.Findings([new Finding("low", "a|b", "x < y")]),
        };

        var markdown = Reporter.Markdown("Sales", sections);
        var html = Reporter.Html("Sales", sections);

        Assert.Contains("| units | integer | 2 | 5 | 2 | 52.875 | 400 |", markdown);
        Assert.Contains("| north | 3 | 8 | 2.667 | 2 | 4 |", markdown);
        Assert.Contains("| low | a\\|b | x < y |", markdown);
        Assert.Contains("<td>x &lt; y</td>", html);
        Assert.Contains("<h2>By region</h2>", html);
    }
}

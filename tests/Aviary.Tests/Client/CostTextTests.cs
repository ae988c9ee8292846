using Aviary.Client.Rendering;

namespace Aviary.Tests.Client;

public sealed class CostTextTests
{
    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(638.4, "638ms")]
    [InlineData(1_999, "2.00s")]
    [InlineData(2_014, "2.01s")]
    [InlineData(59_990, "59.99s")]
    [InlineData(90_000, "1m30s")]
    public void Measured_ShowsWorkToTheHundredthOfASecond(double milliseconds, string expected) =>
        Assert.Equal(expected, CostText.Measured(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(85_355_725, "81.4 MB")]
    public void Bytes_UsesBinaryUnits(long bytes, string expected) => Assert.Equal(expected, CostText.Bytes(bytes));
}

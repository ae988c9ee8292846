using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Client.Cli;
using Spectre.Console;

namespace Aviary.Tests.Models;

/// <summary><c>aviary data generate --kind houses</c>, run in process.</summary>
public sealed class HousesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aviary-houses-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Houses_WritesTheShiftedRowsAsCsv()
    {
        var (code, _, error) = await RunAsync("data", "generate", "--kind", "houses", "--rows", "50", "--shift", "0.5", "--seed", "3", "--out", _dir, "--output", "json");

        Assert.Equal((0, ""), (code, error));
        var path = Path.Combine(_dir, "houses-50-shift0.5-seed3.csv");
        Assert.Equal(ShiftingData.Generate(50, 3, 0.5).Rows, DataLoader.Load(path).Data.Rows);
    }

    [Fact]
    public async Task Houses_ShiftOutOfRange_IsRefusedNamingTheOption()
    {
        var (code, _, error) = await RunAsync("data", "generate", "--kind", "houses", "--shift", "2", "--out", _dir);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("error: shift: must be between 0 and 1 (houses: how far the distribution has moved)", error.Trim());
        Assert.Empty(Directory.GetFiles(_dir));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        var code = await CliApp.RunAsync(args, console, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

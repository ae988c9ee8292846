using System.CommandLine;
using Aviary.Agents.Data;
using Aviary.Client.Cli;
using Aviary.Errors;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary data generate</c>: test data for the data agents, the same for the same seed.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate (default 2,000)", DefaultValueFactory = _ => 2_000 };
        var messy = new Option<bool>("--messy") { Description = "Add missing values, duplicates, outliers and mixed types" };
        var format = new Option<string>("--format") { Description = "csv, json or xlsx (default csv)", DefaultValueFactory = _ => "csv" };
        var output = new Option<string>("--out") { Description = "Folder to write to (default .)", DefaultValueFactory = _ => "." };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 42)", DefaultValueFactory = _ => 42 };
        var generate = new Command("generate", "Write a sales dataset: 2,000 clean rows by default; e.g. --rows 100000 --messy for the medium one")
        {
            rows, messy, format, output, seed,
        };
        generate.SetAction(CliApp.Handler((context, _) =>
        {
            var count = context.Value(rows);
            if (count is < 1 or > 10_000_000)
                throw new AviaryValidationException("rows", "must be between 1 and 10,000,000");
            var kind = context.Value(format).ToLowerInvariant();
            if (!DatasetWriter.Formats.Contains(kind))
                throw new AviaryValidationException("format", $"must be csv, json or xlsx (got '{kind}')");
            var folder = context.Value(output);
            Directory.CreateDirectory(folder);
            var isMessy = context.Value(messy);
            var path = Path.Combine(folder, $"sales-{count}{(isMessy ? "-messy" : "")}.{kind}");
            DatasetWriter.Write(DataGenerator.Generate(count, isMessy, context.Value(seed)), kind, path);
            context.Output.Write(new { path, rows = count, messy = isMessy, format = kind }, c => c.MarkupLineInterpolated($"wrote {count} rows to {path}"));
            return Task.FromResult(ExitCodes.Ok);
        }));
        var data = new Command("data", "Test data for the data agents") { generate };
        return data;
    }
}

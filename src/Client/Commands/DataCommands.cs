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
        var onServer = new Option<bool>("--on-server") { Description = "Have the silo write it into its data directory (datasets/), where its runs may read it; prints that path" };
        var generate = new Command("generate", "Write a sales dataset: 2,000 clean rows by default; e.g. --rows 100000 --messy for the medium one")
        {
            rows, messy, format, output, seed, onServer,
        };
        generate.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var request = new DatasetRequest(context.Value(rows), context.Value(messy), context.Value(format), context.Value(seed));
            if (context.Value(onServer))
            {
                request = request.Validate(DatasetRequest.MaxServerRows);
                var made = await context.Api.PostAsync<GeneratedDataset>("/api/data/generate", request, ct);
                context.Output.Write(made, c => c.MarkupLineInterpolated($"the silo wrote {made.Rows} rows to {made.Path}"));
                return ExitCodes.Ok;
            }
            request = request.Validate(10_000_000);
            var path = request.WriteTo(context.Value(output));
            context.Output.Write(new { path, rows = request.Rows, messy = request.Messy, format = request.Format }, c => c.MarkupLineInterpolated($"wrote {request.Rows} rows to {path}"));
            return ExitCodes.Ok;
        }));
        var data = new Command("data", "Test data for the data agents") { generate, Houses() };
        return data;
    }

    /// <summary><c>aviary data houses</c>: labelled houses (ShiftingData) for the model agents, moved by <c>--shift</c>.</summary>
    private static Command Houses()
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate (default 20,000)", DefaultValueFactory = _ => 20_000 };
        var shift = new Option<double>("--shift") { Description = "0 (default): the original distribution; 1: inputs and relationships moved far enough to drift", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 1)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder to write to (default .)", DefaultValueFactory = _ => "." };
        var houses = new Command("houses", "Write labelled houses (price, churn) as CSV, e.g. --shift 1 for data the first models should not fit") { rows, shift, seed, output };
        houses.SetAction(CliApp.Handler((context, ct) =>
        {
            var (count, moved) = (context.Value(rows), context.Value(shift));
            if (count is < 1 or > 10_000_000)
                throw new AviaryValidationException("--rows", $"must be between 1 and 10,000,000 (got {count})");
            if (moved is < 0 or > 1 || double.IsNaN(moved))
                throw new AviaryValidationException("--shift", $"must be between 0 and 1 (got {moved})");
            var folder = Directory.CreateDirectory(context.Value(output)).FullName;
            var path = Path.Combine(folder, FormattableString.Invariant($"houses-{count}-shift{moved}-seed{context.Value(seed)}.csv"));
            Aviary.Agents.Models.ShiftingData.WriteCsv(path, count, context.Value(seed), moved);
            context.Output.Write(new { path, rows = count, shift = moved }, c => c.MarkupLineInterpolated($"wrote {count} rows to {path}"));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return houses;
    }

    /// <summary>What <c>POST /api/data/generate</c> answers.</summary>
    public sealed record GeneratedDataset(string Path, int Rows, bool Messy, string Format, int Seed);
}

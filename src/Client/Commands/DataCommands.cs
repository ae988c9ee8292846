using System.CommandLine;
using Aviary.Agents.Data;
using Aviary.Client.Cli;
using Aviary.Errors;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary data generate</c>: test data for the data agents (sales) and models (houses), the same for the same seed.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate (default 2,000)", DefaultValueFactory = _ => 2_000 };
        var messy = new Option<bool>("--messy") { Description = "Add missing values, duplicates, outliers and mixed types" };
        var format = new Option<string>("--format") { Description = "csv, json or xlsx (default csv)", DefaultValueFactory = _ => "csv" };
        var output = new Option<string>("--out") { Description = "Folder to write to (default .)", DefaultValueFactory = _ => "." };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 42)", DefaultValueFactory = _ => 42 };
        var kind = new Option<string>("--kind") { Description = "sales (for the data agents; default) or houses (labelled, for models)", DefaultValueFactory = _ => "sales" };
        var shift = new Option<double>("--shift") { Description = "houses: how far the distribution has moved, 0 (as trained) to 1 (drifted)" };
        var onServer = new Option<bool>("--on-server") { Description = "Have the silo write it into its data directory (datasets/), where its runs may read it; prints that path" };
        var generate = new Command("generate", "Write a dataset: 2,000 clean sales rows by default; e.g. --rows 100000 --messy, or --kind houses --shift 1")
        {
            rows, messy, format, output, seed, kind, shift, onServer,
        };
        generate.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var request = new DatasetRequest(context.Value(rows), context.Value(messy), context.Value(format), context.Value(seed), context.Value(kind), context.Value(shift));
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
        var data = new Command("data", "Test data for the data agents and models") { generate };
        return data;
    }

    /// <summary>What <c>POST /api/data/generate</c> answers.</summary>
    public sealed record GeneratedDataset(string Path, int Rows, bool Messy, string Format, int Seed);
}

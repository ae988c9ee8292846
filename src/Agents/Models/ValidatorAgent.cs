using System.Globalization;
using Aviary.Agents.Data;
using Aviary.Workflows;

namespace Aviary.Agents.Models;

/// <summary>
/// <c>validator</c>: checks <c>input.data</c> (a data-loader result) against a schema, either
/// <c>input.schema</c> (a JSON file, relative to the input root) or one learned from
/// <c>input.reference</c> (another data-loader result; <c>input.learnRanges: false</c> leaves the
/// reference's observed ranges out, for data expected to drift), and, when a reference is given, measures
/// drift column by column (<see cref="DatasetDrift"/>; <c>input.maxPsi</c> 0.25,
/// <c>input.alpha</c> 0.01). Schema violations always fail the check; drift only with
/// <c>input.failOnDrift: true</c>. The JSON report is written first, then the task succeeds with it
/// as its result or fails as <see cref="ErrorKind"/> with the first reasons and the report's
/// reference, so that a task depending on it (training) does not run. The same data fails the same
/// way again, so the engine never retries <see cref="ErrorKind"/> (see <see cref="ErrorKinds"/>).
/// </summary>
public sealed class ValidatorAgent(AgentFiles files) : IAgentExecutor
{
    public const string ErrorKind = ErrorKinds.ValidationFailed;

    /// <summary>Reasons quoted in the failure message; the report has them all.</summary>
    private const int ReasonsInMessage = 3;

    public string Kind => "validator";

    public string Version => "1";

    /// <summary>Its report is a file of the run; a schema file may change between runs.</summary>
    public string CacheScope(string runId, IReadOnlyDictionary<string, string> input) =>
        $"{runId}\n{files.InputState(input.GetValueOrDefault("schema"))}";

    public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ValidationReport report;
        try
        {
            report = Validate(request.Input);
        }
        catch (ArgumentException ex)
        {
            return AgentResult.InvalidInput(ex.Message);
        }
        var (reference, path) = files.NewResult(request, ".validation.json");
        await using (var stream = File.Create(path))
            await System.Text.Json.JsonSerializer.SerializeAsync(stream, report, ModelCard.JsonOptions, cancellationToken);
        if (report.Passed)
            return AgentResult.Ok(reference);
        var shown = string.Join("; ", report.Reasons.Take(ReasonsInMessage));
        var more = report.Reasons.Count > ReasonsInMessage ? $" (and {report.Reasons.Count - ReasonsInMessage} more)" : "";
        return AgentResult.Fail(ErrorKind, $"{shown}{more}; report: {reference}");
    }

    public ValidationReport Validate(IReadOnlyDictionary<string, string> input)
    {
        var data = ReadDataset(input, "data") ?? throw new ArgumentException("input.data is required (a data-loader result, e.g. ${tasks.load.result})");
        var referenceData = ReadDataset(input, "reference");
        var thresholds = new DriftThresholds
        {
            MaxPsi = AgentInputs.Number(input, "maxPsi", DriftThresholds.Default.MaxPsi),
            Alpha = AgentInputs.Number(input, "alpha", DriftThresholds.Default.Alpha),
        };
        try
        {
            thresholds.Validated();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"input.{ex.Message}", ex);
        }
        var failOnDrift = AgentInputs.Flag(input, "failOnDrift", false);
        var (schema, source) = ReadSchema(input, referenceData);

        var violations = SchemaCheck.Check(data, schema);
        var drift = referenceData is null ? null : DatasetDrift.Compare(referenceData, data, thresholds);
        var reasons = violations.Select(v => v.Message).ToList();
        if (failOnDrift && drift is { Drifted: true })
        {
            reasons.AddRange(drift.Features.Where(f => f.Drifted).Select(f =>
                string.Create(CultureInfo.InvariantCulture, $"column '{f.Feature}' drifted (PSI {f.Psi:0.###}, {f.Test} p {f.PValue:0.####})")));
        }
        return new ValidationReport
        {
            Passed = reasons.Count == 0,
            Reasons = reasons,
            Rows = data.Rows.Count,
            ReferenceRows = referenceData?.Rows.Count,
            SchemaSource = source,
            Schema = schema,
            Violations = violations,
            Drift = drift,
            FailOnDrift = failOnDrift,
            Thresholds = thresholds,
        };
    }

    private (DatasetSchema Schema, string Source) ReadSchema(IReadOnlyDictionary<string, string> input, Dataset? reference)
    {
        if (input.GetValueOrDefault("schema") is { Length: > 0 } schemaPath)
        {
            var path = files.Input(schemaPath);
            if (!File.Exists(path))
                throw new ArgumentException($"input.schema: '{schemaPath}' does not exist");
            try
            {
                return (DatasetSchema.Parse(File.ReadAllText(path)), "file");
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"input.schema: '{schemaPath}': {ex.Message}", ex);
            }
        }
        if (reference is null)
            throw new ArgumentException("input.schema (a JSON file) or input.reference (a data-loader result) is required to validate against");
        var learned = DatasetSchema.Learn(reference);
        // Retraining on drifted data: the columns, types, categories and missing shares must hold,
        // but values are expected to move beyond the reference's observed range.
        if (input.GetValueOrDefault("learnRanges") is "false")
            learned = learned with { Columns = [.. learned.Columns.Select(c => c with { Min = null, Max = null })] };
        return (learned, "reference");
    }

    private Dataset? ReadDataset(IReadOnlyDictionary<string, string> input, string key)
    {
        if (!input.TryGetValue(key, out var reference) || string.IsNullOrWhiteSpace(reference))
            return null;
        string path;
        try
        {
            path = files.Result(reference);
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException($"input.{key}: {ex.Message}", ex);
        }
        return File.Exists(path) ? DatasetFile.Read(path).Data : throw new ArgumentException($"input.{key}: dataset '{reference}' does not exist");
    }
}

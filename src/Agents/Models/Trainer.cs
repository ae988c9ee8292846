using Aviary.Agents.Data;
using Microsoft.ML;

namespace Aviary.Agents.Models;

/// <summary>
/// Trains one model with ML.NET (a seeded MLContext) and describes it as a <see cref="ModelCard"/>:
/// a seeded split, features encoded once into flat arrays, the model and the held-out rows
/// written to the given files, figures on the held-out rows (and a baseline's, when given).
/// </summary>
public static class Trainer
{
    public static ModelCard Train(Dataset data, TrainingOptions options, string modelPath, string holdoutPath, ModelPackage? baseline = null, string? baselineName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = options.Validated();
        var target = data.ColumnIndex(options.Target) is var t and >= 0
            ? data.Columns[t]
            : throw new ArgumentException($"input.target: no column '{options.Target}' (columns: {string.Join(", ", data.Columns)})");
        if (baseline is not null && (baseline.Card.Task != options.Task || !string.Equals(baseline.Card.Target, target, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"input.baseline predicts {baseline.Card.Target} ({baseline.Card.Task}), not {target} ({options.Task})");
        var features = FeatureSelection.Select(data, target, options.Features);

        var (train, test, dropped) = Split(data, t, options);
        var encoder = new FeatureEncoder(FeatureEncoder.Fit(data, features, train));
        var trainRows = EncodedRows.Encode(data, encoder, options.Task, target, train);
        if (options.Task == ModelTasks.Binary && (Array.TrueForAll(trainRows.Classes!, c => c) || Array.TrueForAll(trainRows.Classes!, c => !c)))
            throw new ArgumentException($"input.target: '{target}' has one class only in the {trainRows.Count} training rows; a binary model needs both");

        var ml = new MLContext(options.Seed);
        var pipeline = TrainingAlgorithms.Create(ml, options.Task, options.Algorithm, options.Seed, out var parameters);
        var model = pipeline.Fit(trainRows.ToDataView());
        ml.Model.Save(model, new ArrayDataView([], encoder.Length).Schema, modelPath);
        var testRows = EncodedRows.Encode(data, encoder, options.Task, target, test);
        var holdout = new Dataset(data.Columns, [.. test.Select(i => data.Rows[i])]);
        DatasetFile.Write(holdoutPath, holdout, []);

        return new ModelCard
        {
            Task = options.Task,
            Target = target,
            PositiveLabel = options.Task == ModelTasks.Binary ? ModelTasks.PositiveLabel : null,
            Features = [.. encoder.Features],
            Encoder = encoder.Describe(),
            Algorithm = options.Algorithm,
            Parameters = parameters,
            Seed = options.Seed,
            TestFraction = options.TestFraction,
            Rows = new TrainingRows(train.Length, test.Length, dropped),
            Metrics = ModelEvaluation.Evaluate(model, testRows, options.Task),
            Baseline = baselineName,
            BaselineMetrics = baseline?.Evaluate(holdout),
            TrainingData = new DataFingerprint { Sha256 = DatasetFingerprint.Sha256(data), RowCount = data.Rows.Count, Schema = DatasetSchema.Learn(data) },
            Reference = ReferenceProfiles.Build(data, features, train),
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = DatasetFingerprint.Sha256(modelPath),
            HoldoutFile = Path.GetFileName(holdoutPath),
        };
    }

    /// <summary>
    /// The rows whose target reads as the task's kind, shuffled with the seed (Fisher–Yates): the
    /// first test fraction held out, the rest trained on; each part back in the dataset's order.
    /// </summary>
    public static (int[] Train, int[] Test, int Dropped) Split(Dataset data, int target, TrainingOptions options)
    {
        var usable = new List<int>(data.Rows.Count);
        for (var i = 0; i < data.Rows.Count; i++)
        {
            var row = data.Rows[i];
            var cell = target < row.Length ? row[target] : null;
            if (options.Task == ModelTasks.Binary ? ModelTasks.TryBinary(cell, out _) : cell is not null && Explorer.TryNumber(cell, out _))
                usable.Add(i);
        }
        var rows = usable.ToArray();
        var random = new Random(options.Seed);
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        var testCount = (int)Math.Round(rows.Length * options.TestFraction);
        if (testCount < 1 || rows.Length - testCount < 2)
            throw new ArgumentException($"input.target: {rows.Length} row(s) with a readable {options.Task} target are too few to hold out {options.TestFraction:P0} and train on the rest");
        var test = rows[..testCount];
        var train = rows[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (train, test, data.Rows.Count - rows.Length);
    }
}

using System.Globalization;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Errors;
using Aviary.Models;
using DataFingerprint = Aviary.Models.DataFingerprint;

namespace Aviary.Grains.Models;

/// <summary>Model cards read into registry versions, and versions scored side by side on held-out rows, with the trainer's own classes.</summary>
public sealed class ModelArtifacts(ModelFiles files) : IModelArtifacts
{
    public Task<(ModelVersionView Draft, ReferenceProfile Reference)> ReadCardAsync(string card, CancellationToken cancellationToken = default)
    {
        var read = files.ReadCard(card);
        // The model file must be there and whole before a version may point at it.
        var model = files.Beside(card, read.ModelFile, "modelFile");
        var hash = DatasetFingerprint.Sha256(model);
        if (!string.Equals(hash, read.ModelSha256, StringComparison.OrdinalIgnoreCase))
            throw new AviaryValidationException("card", $"the model file {Path.GetFileName(model)} does not match the card's SHA-256 (changed or damaged since training)");
        var run = card.Split('/', '\\')[0];
        var draft = new ModelVersionView
        {
            Task = read.Task,
            Algorithm = read.Algorithm,
            Target = read.Target,
            Features = [.. read.Features.Select(f => f.Name)],
            Metrics = Figures(read.Metrics),
            Parameters = read.Parameters.ToDictionary(p => p.Key, p => p.Value.ToString("G", CultureInfo.InvariantCulture), StringComparer.Ordinal),
            Fingerprint = new DataFingerprint
            {
                Sha256 = read.TrainingData.Sha256,
                Rows = read.TrainingData.RowCount,
                Columns = [.. read.TrainingData.Schema.Columns.Select(c => $"{c.Name}:{c.Type}")],
            },
            Run = run,
            TrainTask = Path.GetFileName(card).Split('.')[0],
            Card = card,
            Holdout = read.HoldoutFile.Length == 0 ? "" : files.Relative(files.Beside(card, read.HoldoutFile, "holdoutFile")),
        };
        draft.Parameters["seed"] = read.Seed.ToString(CultureInfo.InvariantCulture);
        draft.Parameters["testFraction"] = read.TestFraction.ToString("G", CultureInfo.InvariantCulture);
        return Task.FromResult((draft, read.Reference));
    }

    public async Task<ModelComparisonView> CompareAsync(string model, ModelVersionView champion, ModelVersionView challenger, double margin, string? holdout, CancellationToken cancellationToken = default)
    {
        foreach (var (version, field) in new[] { (champion, "champion"), (challenger, "challenger") })
        {
            if (version.IsEnsemble)
                throw new AviaryConflictException(field, $"{version.Version} is an ensemble; compare its members");
        }
        var rows = holdout ?? challenger.Holdout;
        if (string.IsNullOrEmpty(rows))
            throw new AviaryValidationException("holdout", $"{challenger.Version} names no held-out rows; give holdout (a dataset result)");
        var holdoutPath = files.CardPath(rows);
        // Loading and scoring is CPU work of seconds for large held-out sets: off the grain's turn.
        return await Task.Run(() =>
        {
            var a = Load(champion, "champion");
            var b = Load(challenger, "challenger");
            var (data, _) = DatasetFile.Read(holdoutPath);
            ComparisonResult result;
            try
            {
                result = ModelComparison.Compare(a, b, data, margin);
            }
            catch (ArgumentException ex)
            {
                throw new AviaryValidationException("challenger", ex.Message);
            }
            return new ModelComparisonView
            {
                Model = model,
                Champion = champion.Version,
                Challenger = challenger.Version,
                Holdout = rows,
                Rows = result.Champion.Rows,
                Metric = result.PrimaryMetric,
                ChampionMetrics = Figures(result.Champion),
                ChallengerMetrics = Figures(result.Challenger),
                Margin = margin,
                ChallengerBetter = result.ChallengerBetter,
                Reason = result.Reason,
            };
        }, cancellationToken);
    }

    private ModelPackage Load(ModelVersionView version, string field)
    {
        try
        {
            return ModelPackage.Load(files.CardPath(version.Card));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
        {
            throw new AviaryConflictException(field, $"{version.Version} cannot be loaded: {ex.Message}");
        }
    }

    private static Dictionary<string, double> Figures(ModelMetrics m)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { ("r2", m.R2), ("mae", m.Mae), ("rmse", m.Rmse), ("auc", m.Auc), ("accuracy", m.Accuracy), ("f1", m.F1), ("logLoss", m.LogLoss) })
        {
            if (value is { } v && double.IsFinite(v))
                figures[name] = v;
        }
        return figures;
    }
}

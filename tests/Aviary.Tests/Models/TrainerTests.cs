using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class TrainerTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public void Train_RegressionFastTree_CardDescribesModelDataAndFiles()
    {
        var card = ModelCard.Read(models.PriceV1);
        var folder = Path.GetDirectoryName(models.PriceV1)!;

        Assert.Equal(("regression", "price", null, "fasttree", 42, 0.2), (card.Task, card.Target, card.PositiveLabel, card.Algorithm, card.Seed, card.TestFraction));
        Assert.Equal(["sqft", "age", "rooms", "distance", "region"], card.Features.Select(f => f.Name));
        Assert.Equal(["numeric", "numeric", "numeric", "numeric", "category"], card.Features.Select(f => f.Kind));
        Assert.Equal(["central", "east", "north", "south", "west"], card.Features[4].Categories!.Order());
        Assert.Equal((9, 4), (card.Encoder.Length, card.Features[4].Offset));
        Assert.Equal("region=" + card.Features[4].Categories![0], card.Encoder.Slots[4]);
        Assert.Equal(new TrainingRows(1_600, 400, 0), card.Rows);
        Assert.Equal(400, card.Metrics.Rows);
        Assert.True(card.Metrics.R2 > 0.85, $"R² {card.Metrics.R2}");
        Assert.True(card.Metrics.Rmse < card.Metrics.Mae * 1.6 && card.Metrics.Mae > 0);
        Assert.Equal(100, card.Parameters["numberOfTrees"]);
        Assert.Equal(DatasetFingerprint.Sha256(Path.Combine(folder, card.ModelFile)), card.ModelSha256);
        Assert.Equal((DatasetFingerprint.Sha256(models.Original), 2_000L), (card.TrainingData.Sha256, card.TrainingData.RowCount));
        Assert.Equal(ShiftingData.Columns, card.TrainingData.Schema.Columns.Select(c => c.Name));
        Assert.Equal((5, 1_600L), (card.Reference.Features.Length, card.Reference.Rows));
        Assert.Equal((FeatureKinds.Numeric, 10), (card.Reference.Features[0].Kind, card.Reference.Features[0].Bins));
        Assert.Equal(400, DatasetFile.Read(Path.Combine(folder, card.HoldoutFile)).Data.Rows.Count);
        Assert.Null(card.BaselineMetrics);
    }

    [Fact]
    public void Train_BinaryLinear_FiguresOfAClassifier()
    {
        var card = ModelCard.Read(models.ChurnV1);

        Assert.Equal(("binary", "true", "linear"), (card.Task, card.PositiveLabel, card.Algorithm));
        Assert.True(card.Metrics.Auc > 0.75, $"AUC {card.Metrics.Auc}");
        Assert.True(card.Metrics.Accuracy > 0.65, $"accuracy {card.Metrics.Accuracy}");
        Assert.True(card.Metrics.F1 > 0.5 && card.Metrics.LogLoss < 0.69, $"F1 {card.Metrics.F1}, log-loss {card.Metrics.LogLoss}");
        Assert.Null(card.Metrics.R2);
    }

    [Fact]
    public void Train_SameSeedTwice_SameSplitAndFigures()
    {
        var data = ShiftingData.Generate(600, seed: 5, shift: 0);
        var options = TrainedModels.Regression("price") with { Algorithm = "linear", Seed = 9 };

        var first = ModelCard.Read(models.Train("twice-1", data, options));
        var second = ModelCard.Read(models.Train("twice-2", data, options));

        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(first.Reference.Features[0].Edges, second.Reference.Features[0].Edges);
        Assert.True(first.Metrics.R2 > 0.8, $"R² {first.Metrics.R2}");
    }

    [Fact]
    public void Train_LightGbm_Regression()
    {
        var card = ModelCard.Read(models.Train("lightgbm", models.Original, TrainedModels.Regression("price") with { Algorithm = "lightgbm" }));

        Assert.Equal("lightgbm", card.Algorithm);
        Assert.True(card.Metrics.R2 > 0.85, $"R² {card.Metrics.R2}");
    }

    [Fact]
    public void Train_RowsWithoutATarget_AreDroppedAndCounted_MissingInputsTakeTheMean()
    {
        var rows = ShiftingData.Generate(300, seed: 6, shift: 0).Rows.Select((r, i) =>
        {
            var copy = (string?[])r.Clone();
            if (i % 10 == 0)
                copy[5] = i % 20 == 0 ? null : "n/a"; // price
            if (i % 7 == 0)
                copy[0] = null; // sqft
            return copy;
        }).ToList();

        var card = ModelCard.Read(models.Train("dropped", new Dataset(ShiftingData.Columns, rows), TrainedModels.Regression("price")));

        Assert.Equal(30, card.Rows.Dropped);
        Assert.Equal(270, card.Rows.Train + card.Rows.Test);
        Assert.InRange(card.Features[0].Mean!.Value, 1_400, 1_600);
    }

    [Fact]
    public void Train_WithABaseline_ScoresItOnTheSameHeldOutRows()
    {
        var baseline = ModelPackage.Load(models.PriceV1);
        var path = models.Train("with-baseline", models.Shifted, TrainedModels.Regression("price") with { Algorithm = "linear" }, baseline);

        var card = ModelCard.Read(path);
        var holdout = DatasetFile.Read(Path.Combine(Path.GetDirectoryName(path)!, card.HoldoutFile)).Data;

        Assert.Equal(models.PriceV1, card.Baseline);
        Assert.Equal(baseline.Evaluate(holdout), card.BaselineMetrics);
        Assert.True(card.Metrics.Rmse < card.BaselineMetrics!.Rmse / 2, $"{card.Metrics.Rmse} against the baseline's {card.BaselineMetrics.Rmse}");
    }

    [Theory]
    [InlineData("", "regression", "fasttree", 0.2, "input.target is required (the column to predict)")]
    [InlineData("cost", "regression", "fasttree", 0.2, "input.target: no column 'cost' (columns: sqft, age, rooms, distance, region, price, churn)")]
    [InlineData("price", "ranking", "fasttree", 0.2, "input.task must be regression or binary (got 'ranking')")]
    [InlineData("price", "regression", "xgboost", 0.2, "input.algorithm must be one of fasttree, lightgbm, linear (got 'xgboost')")]
    [InlineData("price", "regression", "fasttree", 1.0, "input.testFraction must be between 0 and 1, exclusive (got 1)")]
    [InlineData("price", "binary", "fasttree", 0.2, "input.target: 0 row(s) with a readable binary target are too few to hold out 20 % and train on the rest")]
    public void Train_BadSettings_NameTheInput(string target, string task, string algorithm, double fraction, string message)
    {
        var options = new TrainingOptions { Target = target, Task = task, Algorithm = algorithm, TestFraction = fraction };

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(models.Original, options, "unused.zip", "unused.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Train_BinaryTargetWithOneClass_IsRefused()
    {
        var rows = models.Original.Rows.Take(100).Select(r => r[..6].Append("no").ToArray()).ToList();

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(new Dataset(ShiftingData.Columns, rows), new TrainingOptions { Target = "churn", Task = "binary" }, "unused.zip", "unused.json"));

        Assert.Equal("input.target: 'churn' has one class only in the 80 training rows; a binary model needs both", error.Message);
    }

    [Fact]
    public void Features_Default_EveryOtherNumericOrCategoryColumn()
    {
        var data = new Dataset(["id", "x", "c", "y"], [.. Enumerable.Range(0, 60).Select(i => new string?[] { $"id{i}", $"{i}", i % 2 == 0 ? "a" : "b", $"{i * 2}" })]);

        var features = FeatureSelection.Select(data, "y", null);

        Assert.Equal([("x", "numeric"), ("c", "category")], features); // id: 60 distinct texts, not a category
    }
}

using System.Globalization;
using System.Text.Json;
using Aviary.Agents.Data;
using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

public sealed class ModelPackageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public void Evaluate_TheHeldOutRows_GivesTheCardsFigures()
    {
        var package = ModelPackage.Load(models.PriceV1);
        var holdout = Holdout(package);

        Assert.Equal(package.Card.Metrics, package.Evaluate(holdout));
    }

    [Fact]
    public void Predict_OneRowAtATime_EqualsScoringTheDataset()
    {
        foreach (var card in new[] { models.PriceV1, models.ChurnV1, models.ChurnV2 })
        {
            var package = ModelPackage.Load(card);
            var holdout = Holdout(package);
            var batch = package.Predict(holdout);

            for (var i = 0; i < 50; i++)
            {
                var output = package.Predict(Features(holdout, holdout.Rows[i]));
                Assert.Equal(batch[i], (float)output.Value);
                Assert.Equal(package.Card.Task == ModelTasks.Binary ? (batch[i] >= 0.5f ? "true" : "false") : null, output.Label);
            }
        }
    }

    [Fact]
    public void Predict_ConcurrentCallers_SameAnswersAsOneCaller()
    {
        var package = ModelPackage.Load(models.PriceV1);
        var holdout = Holdout(package);
        var inputs = holdout.Rows.Take(200).Select(r => Features(holdout, r)).ToArray();
        var expected = inputs.Select(i => package.Predict(i).Value).ToArray();
        var actual = new double[inputs.Length * 8];

        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = package.Predict(inputs[i % inputs.Length]).Value);

        Assert.Equal(Enumerable.Range(0, actual.Length).Select(i => expected[i % inputs.Length]), actual);
    }

    [Fact]
    public void Predict_NullNumber_TakesTheTrainingMean_UnknownCategory_AllZeros()
    {
        var package = ModelPackage.Load(models.PriceV1);
        var mean = package.Card.Features[0].Mean!.Value.ToString(CultureInfo.InvariantCulture);

        var withNull = package.Predict(Json("""{"sqft":null,"age":10,"rooms":3,"distance":4,"region":"north"}"""));
        var withMean = package.Predict(Json($$"""{"sqft":{{mean}},"age":10,"rooms":3,"distance":4,"region":"north"}"""));
        var unknown = package.Predict(Json("""{"sqft":1500,"age":10,"rooms":3,"distance":4,"region":"atlantis"}"""));
        var missing = package.Predict(Json("""{"sqft":1500,"age":10,"rooms":3,"distance":4,"region":null}"""));

        Assert.Equal(withMean.Value, withNull.Value, 3);
        Assert.Equal(unknown.Value, missing.Value);
    }

    [Theory]
    [InlineData("""{"sqft":1500,"age":10,"rooms":3,"distance":4}""", "feature 'region' is missing")]
    [InlineData("""{"sqft":"big","age":10,"rooms":3,"distance":4,"region":"north"}""", "feature 'sqft' must be a number or null (got a string)")]
    [InlineData("""{"sqft":1500,"age":10,"rooms":3,"distance":4,"region":["north"]}""", "feature 'region' must be a category (a string) or null (got an array)")]
    public void Predict_BadFeatures_NameTheFeature(string json, string message)
    {
        var package = ModelPackage.Load(models.PriceV1);

        Assert.Equal(message, Assert.Throws<ArgumentException>(() => package.Predict(Json(json))).Message);
    }

    [Fact]
    public void Predict_FeaturesTheModelDoesNotUse_AreIgnored()
    {
        var package = ModelPackage.Load(models.PriceV1);

        var plain = package.Predict(Json("""{"sqft":1500,"age":10,"rooms":3,"distance":4,"region":"north"}"""));
        var extra = package.Predict(Json("""{"sqft":1500,"age":10,"rooms":3,"distance":4,"region":"north","colour":"red"}"""));

        Assert.Equal(plain, extra);
    }

    [Fact]
    public void Load_ModelFileChanged_IsRefusedNamingIt()
    {
        var card = Copy(models.PriceV1, "changed");
        var model = Path.Combine(Path.GetDirectoryName(card)!, "model.zip");
        File.AppendAllText(model, "x");

        var error = Assert.Throws<InvalidDataException>(() => ModelPackage.Load(card));

        Assert.StartsWith($"model file '{model}' has SHA-256 ", error.Message);
        Assert.EndsWith("it was changed or damaged", error.Message);
    }

    [Fact]
    public void Load_ModelFileMissing_OrCardNotACard_IsRefusedNamingTheFile()
    {
        var card = Copy(models.PriceV1, "missing");
        var model = Path.Combine(Path.GetDirectoryName(card)!, "model.zip");
        File.Delete(model);
        var notACard = Path.Combine(Path.GetDirectoryName(card)!, "other.json");
        File.WriteAllText(notACard, "[1, 2]");

        Assert.Equal($"model file '{model}' of card '{card}' does not exist", Assert.Throws<InvalidDataException>(() => ModelPackage.Load(card)).Message);
        Assert.StartsWith($"model card '{notACard}' is not a model card", Assert.Throws<InvalidDataException>(() => ModelPackage.Load(notACard)).Message);
        Assert.Equal("model card 'nowhere/card.json' does not exist", Assert.Throws<InvalidDataException>(() => ModelPackage.Load("nowhere/card.json")).Message);
    }

    [Fact]
    public void Load_ModelFileNotAModel_IsRefusedNamingIt()
    {
        var card = Copy(models.PriceV1, "garbage");
        var model = Path.Combine(Path.GetDirectoryName(card)!, "model.zip");
        File.WriteAllText(model, "not a zip");
        var read = ModelCard.Read(card);
        (read with { ModelSha256 = DatasetFingerprint.Sha256(model) }).Write(card);

        var error = Assert.Throws<InvalidDataException>(() => ModelPackage.Load(card));

        Assert.StartsWith($"model file '{model}' cannot be loaded: ", error.Message);
    }

    [Fact]
    public void Compare_ModelOfTheNewDistribution_BeatsTheOldOnItsRows()
    {
        var (v1, v2) = (ModelPackage.Load(models.PriceV1), ModelPackage.Load(models.PriceV2));
        var holdout = Holdout(v2);

        var result = ModelComparison.Compare(v1, v2, holdout, margin: 0.05);
        var reverse = ModelComparison.Compare(v2, v1, holdout, margin: 0.05);

        Assert.True(result.ChallengerBetter, result.Reason);
        Assert.Equal("rmse", result.PrimaryMetric);
        Assert.Equal(v2.Card.Metrics, result.Challenger);
        Assert.Matches(@"^the challenger's RMSE [\d.]+ is [\d.]+ % below the champion's [\d.]+ on 400 rows, at least the 5\.0 % reduction needed$", result.Reason);
        Assert.False(reverse.ChallengerBetter, reverse.Reason);
        Assert.Contains("above the champion's", reverse.Reason);
    }

    [Fact]
    public void Compare_Binary_ByAucAndTheMargin()
    {
        var (v1, v2) = (ModelPackage.Load(models.ChurnV1), ModelPackage.Load(models.ChurnV2));
        var holdout = Holdout(v2);

        var result = ModelComparison.Compare(v1, v2, holdout, margin: 0.01);
        var same = ModelComparison.Compare(v2, v2, holdout, margin: 0.01);

        Assert.True(result.ChallengerBetter, result.Reason);
        Assert.Equal("auc", result.PrimaryMetric);
        Assert.True(result.Challenger.Auc - result.Champion.Auc > 0.2, result.Reason);
        Assert.False(same.ChallengerBetter);
        Assert.Equal("the challenger's AUC " + same.Challenger.Auc!.Value.ToString("0.0000", CultureInfo.InvariantCulture) + " is higher than the champion's " + same.Champion.Auc!.Value.ToString("0.0000", CultureInfo.InvariantCulture) + " by 0.0000 on 400 rows, less than the margin 0.0100 needed", same.Reason);
    }

    [Fact]
    public void Compare_DifferentTargets_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelComparison.Compare(ModelPackage.Load(models.PriceV1), ModelPackage.Load(models.ChurnV1), models.Original, 0.05));

        Assert.StartsWith("the challenger predicts churn (binary), the champion price (regression): they cannot be compared", error.Message);
    }

    private string Copy(string card, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(models.Directory, "copy-" + name)).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(card)!))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return Path.Combine(folder, Path.GetFileName(card));
    }

    private static Dataset Holdout(ModelPackage package) =>
        DatasetFile.Read(Path.Combine(Path.GetDirectoryName(package.CardPath)!, package.Card.HoldoutFile)).Data;

    /// <summary>A dataset row as a request's features: numbers as JSON numbers, categories as strings.</summary>
    public static Dictionary<string, JsonElement> Features(Dataset data, string?[] row)
    {
        var features = new Dictionary<string, JsonElement>();
        foreach (var name in TrainedModels.Features.Split(','))
        {
            var cell = row[data.ColumnIndex(name)];
            features[name] = name == "region" ? JsonSerializer.SerializeToElement(cell) : JsonSerializer.SerializeToElement(double.Parse(cell!, CultureInfo.InvariantCulture));
        }
        return features;
    }

    private static Dictionary<string, JsonElement> Json(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}

using Aviary.Agents.Data;
using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

/// <summary>Small models trained once per test class (2,000 rows of <see cref="ShiftingData"/>), each in a folder of its own.</summary>
public sealed class TrainedModels : IDisposable
{
    public const string Features = "sqft,age,rooms,distance,region";

    public TrainedModels()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("aviary-models-").FullName;
        Original = ShiftingData.Generate(2_000, seed: 1, shift: 0);
        Shifted = ShiftingData.Generate(2_000, seed: 2, shift: 1);
        PriceV1 = Train("price-v1", Original, Regression("price"));
        PriceV2 = Train("price-v2", Shifted, Regression("price"));
        ChurnV1 = Train("churn-v1", Original, Regression("churn") with { Task = ModelTasks.Binary, Algorithm = "linear" });
        ChurnV2 = Train("churn-v2", Shifted, Regression("churn") with { Task = ModelTasks.Binary });
    }

    public string Directory { get; }

    public Dataset Original { get; }

    public Dataset Shifted { get; }

    /// <summary>Card paths.</summary>
    public string PriceV1 { get; }

    public string PriceV2 { get; }

    public string ChurnV1 { get; }

    public string ChurnV2 { get; }

    public static TrainingOptions Regression(string target) => new() { Target = target, Features = Features.Split(',') };

    /// <summary>Trains into a folder of its own under this fixture's and returns the card's path.</summary>
    public string Train(string name, Dataset data, TrainingOptions options, ModelPackage? baseline = null)
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;
        var card = Trainer.Train(data, options, Path.Combine(folder, "model.zip"), Path.Combine(folder, "holdout.dataset.json"), baseline, baseline?.CardPath);
        var path = Path.Combine(folder, "card.json");
        card.Write(path);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Everything about one trained model version, as JSON beside its files: what it predicts from
/// what, how inputs are encoded, how it was trained and how it did on held-out rows, which data it
/// came from, the reference bins for drift, and its model file with that file's SHA-256.
/// File names are relative to the card's folder.
/// </summary>
public sealed record ModelCard
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int FormatVersion { get; init; } = 1;

    /// <summary><c>regression</c> or <c>binary</c> (<see cref="ModelTasks"/>).</summary>
    public string Task { get; init; } = "";

    public string Target { get; init; } = "";

    /// <summary>Binary models: the label of the class whose probability the model gives.</summary>
    public string? PositiveLabel { get; init; }

    public CardFeature[] Features { get; init; } = [];

    public EncoderDescription Encoder { get; init; } = new();

    /// <summary><c>fasttree</c>, <c>lightgbm</c> or <c>linear</c>.</summary>
    public string Algorithm { get; init; } = "";

    /// <summary>The trainer's settings, e.g. numberOfTrees.</summary>
    public Dictionary<string, double> Parameters { get; init; } = [];

    public int Seed { get; init; }

    public double TestFraction { get; init; }

    public TrainingRows Rows { get; init; } = new(0, 0, 0);

    /// <summary>On the held-out rows.</summary>
    public ModelMetrics Metrics { get; init; } = new();

    /// <summary>The card of the model this one was compared with, as given, if any.</summary>
    public string? Baseline { get; init; }

    /// <summary>The baseline's figures on the same held-out rows.</summary>
    public ModelMetrics? BaselineMetrics { get; init; }

    public DataFingerprint TrainingData { get; init; } = new();

    /// <summary>The training rows' features in bins: what live inputs are compared with.</summary>
    public ReferenceProfile Reference { get; init; } = new();

    public string ModelFile { get; init; } = "";

    public string ModelSha256 { get; init; } = "";

    /// <summary>The held-out rows as a dataset file (Aviary.Agents.Data.DatasetFile).</summary>
    public string HoldoutFile { get; init; } = "";

    public static ModelCard Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ModelCard>(stream, JsonOptions)
            ?? throw new InvalidDataException($"'{path}' holds no model card");
    }

    public void Write(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, JsonOptions);
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Aviary.Agents.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// A trained model ready to score: its card, its ML.NET model (checked against the card's
/// SHA-256 when loaded) and the encoder. Safe for concurrent callers: ML.NET's prediction
/// engines are not, so each call borrows one from a pool.
/// </summary>
public sealed class ModelPackage
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _input;
    private readonly ConcurrentBag<Scorer> _pool = [];
    private readonly Lock _creating = new();
    private readonly int _maxPooled = Math.Max(4, Environment.ProcessorCount * 2);

    private ModelPackage(ModelCard card, string cardPath, MLContext ml, ITransformer model)
    {
        Card = card;
        CardPath = cardPath;
        _ml = ml;
        _model = model;
        Encoder = new FeatureEncoder(card.Features);
        _input = SchemaDefinition.Create(typeof(EncodedInput));
        _input[ArrayDataView.FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Encoder.Length);
    }

    public ModelCard Card { get; }

    public string CardPath { get; }

    public FeatureEncoder Encoder { get; }

    /// <summary>
    /// Reads the card and its model file (beside it), refusing with an <see cref="InvalidDataException"/>
    /// naming the file when either is missing or unreadable, or the model file's SHA-256 is not the card's.
    /// </summary>
    public static ModelPackage Load(string cardPath)
    {
        var full = Path.GetFullPath(cardPath);
        if (!File.Exists(full))
            throw new InvalidDataException($"model card '{cardPath}' does not exist");
        ModelCard card;
        try
        {
            card = ModelCard.Read(full);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"model card '{cardPath}' is not a model card: {ex.Message}", ex);
        }
        if (card.Task is not (ModelTasks.Regression or ModelTasks.Binary) || card.Features.Length == 0 || string.IsNullOrEmpty(card.ModelFile))
            throw new InvalidDataException($"model card '{cardPath}' is incomplete: it needs a task, features and a model file");
        var modelPath = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileName(card.ModelFile));
        if (!File.Exists(modelPath))
            throw new InvalidDataException($"model file '{modelPath}' of card '{cardPath}' does not exist");
        var sha = DatasetFingerprint.Sha256(modelPath);
        if (!string.Equals(sha, card.ModelSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"model file '{modelPath}' has SHA-256 {sha}, not the card's {card.ModelSha256}: it was changed or damaged");
        var ml = new MLContext(card.Seed);
        try
        {
            var model = ml.Model.Load(modelPath, out _);
            return new ModelPackage(card, full, ml, model);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model file '{modelPath}' cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>One prediction from a request's features (see <see cref="FeatureEncoder.Encode(IReadOnlyDictionary{string, JsonElement}, Span{float})"/> for the rules).</summary>
    public ModelOutput Predict(IReadOnlyDictionary<string, JsonElement> features)
    {
        var scorer = Rent();
        try
        {
            Encoder.Encode(features, scorer.Input.Features);
            return scorer.Predict();
        }
        finally
        {
            Return(scorer);
        }
    }

    /// <summary>Predictions for a dataset's rows (features read as the trainer reads them).</summary>
    public float[] Predict(Dataset data) =>
        ModelEvaluation.Predict(_model, EncodedRows.Encode(data, Encoder, Card.Task, Card.Target), Card.Task);

    /// <summary>The card's figures on other labelled rows: rows whose target cannot be read are left out.</summary>
    public ModelMetrics Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ModelEvaluation.Evaluate(_model, EncodedRows.Encode(data, Encoder, Card.Task, Card.Target), Card.Task);
    }

    private Scorer Rent()
    {
        if (_pool.TryTake(out var scorer))
            return scorer;
        // Rare (the pool grows to the callers at once), and MLContext promises no thread safety.
        lock (_creating)
            return new Scorer(this);
    }

    private void Return(Scorer scorer)
    {
        if (_pool.Count < _maxPooled)
            _pool.Add(scorer);
    }

    /// <summary>A prediction engine with its own input and output rows: one caller at a time.</summary>
    private sealed class Scorer
    {
        private readonly PredictionEngine<EncodedInput, RegressionOutput>? _regression;
        private readonly PredictionEngine<EncodedInput, BinaryOutput>? _binary;
        private RegressionOutput _regressionOutput = new();
        private BinaryOutput _binaryOutput = new();

        public Scorer(ModelPackage package)
        {
            Input = new EncodedInput { Features = new float[package.Encoder.Length] };
            if (package.Card.Task == ModelTasks.Binary)
                _binary = package._ml.Model.CreatePredictionEngine<EncodedInput, BinaryOutput>(package._model, inputSchemaDefinition: package._input);
            else
                _regression = package._ml.Model.CreatePredictionEngine<EncodedInput, RegressionOutput>(package._model, inputSchemaDefinition: package._input);
        }

        public EncodedInput Input { get; }

        public ModelOutput Predict()
        {
            if (_binary is not null)
            {
                _binary.Predict(Input, ref _binaryOutput);
                var p = _binaryOutput.Probability;
                return new ModelOutput(p, p >= 0.5f ? ModelTasks.PositiveLabel : ModelTasks.NegativeLabel);
            }
            _regression!.Predict(Input, ref _regressionOutput);
            return new ModelOutput(_regressionOutput.Score, null);
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// Scores encoded rows with a model and measures the result; the trainer and
/// <see cref="ModelPackage.Evaluate"/> share it, so a card's figures and a later evaluation of the
/// same rows agree exactly.
/// </summary>
public static class ModelEvaluation
{
    public const string ScoreColumn = "Score";
    public const string ProbabilityColumn = "Probability";

    public static ModelMetrics Evaluate(ITransformer model, EncodedRows rows, string task)
    {
        var predictions = Predict(model, rows, task);
        return task == ModelTasks.Binary ? Binary(rows.Classes!, predictions) : Regression(rows.Numbers!, predictions);
    }

    /// <summary>Each row's prediction: the regression value, or the positive class' probability.</summary>
    public static float[] Predict(ITransformer model, EncodedRows rows, string task)
    {
        var scored = model.Transform(rows.ToDataView());
        var column = scored.Schema[task == ModelTasks.Binary ? ProbabilityColumn : ScoreColumn];
        var predictions = new float[rows.Count];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<float>(column);
        var value = 0f;
        for (var i = 0; cursor.MoveNext(); i++)
        {
            getter(ref value);
            predictions[i] = value;
        }
        return predictions;
    }

    public static ModelMetrics Regression(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        var n = actual.Length;
        if (n == 0)
            return new ModelMetrics();
        double mean = 0;
        foreach (var a in actual)
            mean += a;
        mean /= n;
        double ssRes = 0, ssTot = 0, absolute = 0;
        for (var i = 0; i < n; i++)
        {
            var error = (double)actual[i] - predicted[i];
            ssRes += error * error;
            ssTot += (actual[i] - mean) * (actual[i] - mean);
            absolute += Math.Abs(error);
        }
        return new ModelMetrics
        {
            Rows = n,
            R2 = ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot,
            Mae = absolute / n,
            Rmse = Math.Sqrt(ssRes / n),
        };
    }

    /// <summary>AUC as the Mann–Whitney statistic (tied probabilities share their rank); labels at probability ≥ 0.5.</summary>
    public static ModelMetrics Binary(ReadOnlySpan<bool> actual, ReadOnlySpan<float> probability)
    {
        var n = actual.Length;
        if (n == 0)
            return new ModelMetrics();
        long truePositive = 0, falsePositive = 0, falseNegative = 0, correct = 0, positives = 0;
        double logLoss = 0;
        for (var i = 0; i < n; i++)
        {
            var predicted = probability[i] >= 0.5f;
            if (predicted == actual[i])
                correct++;
            if (predicted && actual[i])
                truePositive++;
            else if (predicted)
                falsePositive++;
            else if (actual[i])
                falseNegative++;
            if (actual[i])
                positives++;
            var p = Math.Clamp((double)probability[i], 1e-15, 1 - 1e-15);
            logLoss -= actual[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        var negatives = n - positives;
        double? auc = null;
        if (positives > 0 && negatives > 0)
        {
            var order = new int[n];
            for (var i = 0; i < n; i++)
                order[i] = i;
            var keys = probability.ToArray();
            Array.Sort(keys, order);
            double positiveRanks = 0;
            for (var start = 0; start < n;)
            {
                var end = start;
                while (end + 1 < n && keys[end + 1] == keys[start])
                    end++;
                var rank = (start + end) / 2.0 + 1;
                for (var k = start; k <= end; k++)
                {
                    if (actual[order[k]])
                        positiveRanks += rank;
                }
                start = end + 1;
            }
            auc = (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
        }
        var f1Denominator = 2 * truePositive + falsePositive + falseNegative;
        return new ModelMetrics
        {
            Rows = n,
            Auc = auc,
            Accuracy = (double)correct / n,
            F1 = f1Denominator == 0 ? 0 : 2.0 * truePositive / f1Denominator,
            LogLoss = logLoss / n,
        };
    }
}

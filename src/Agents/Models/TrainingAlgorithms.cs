using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Aviary.Agents.Models;

/// <summary>The ML.NET pipeline for a task and algorithm, with the settings it uses (recorded in the card).</summary>
public static class TrainingAlgorithms
{
    public static IEstimator<ITransformer> Create(MLContext ml, string task, string algorithm, int seed, out Dictionary<string, double> parameters)
    {
        const string label = ArrayDataView.LabelColumn;
        const string features = ArrayDataView.FeaturesColumn;
        var binary = task == ModelTasks.Binary;
        switch (algorithm)
        {
            case "fasttree":
                parameters = new() { ["numberOfTrees"] = 100, ["numberOfLeaves"] = 20, ["minimumExampleCountPerLeaf"] = 10, ["learningRate"] = 0.2 };
                return binary
                    ? ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10, LearningRate = 0.2,
                    })
                    : ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10, LearningRate = 0.2,
                    });
            case "lightgbm":
                parameters = new() { ["numberOfIterations"] = 100, ["numberOfLeaves"] = 31, ["minimumExampleCountPerLeaf"] = 20, ["learningRate"] = 0.1 };
                return binary
                    ? ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = 100, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1, Seed = seed, Verbose = false, Silent = true,
                    })
                    : ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = 100, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1, Seed = seed, Verbose = false, Silent = true,
                    });
            case "linear":
                // One thread: SDCA's and L-BFGS' results then do not depend on thread timing.
                var normalize = ml.Transforms.NormalizeMinMax(features);
                if (binary)
                {
                    parameters = new() { ["l2Regularization"] = 1, ["optimizationTolerance"] = 1e-7 };
                    return normalize.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                    {
                        LabelColumnName = label, FeatureColumnName = features, L2Regularization = 1, OptimizationTolerance = 1e-7f, NumberOfThreads = 1,
                    }));
                }
                parameters = new() { ["maximumNumberOfIterations"] = 20, ["l2Regularization"] = 1e-6 };
                return normalize.Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, MaximumNumberOfIterations = 20, L2Regularization = 1e-6f, NumberOfThreads = 1, Shuffle = true,
                }));
            default:
                throw new ArgumentException($"input.algorithm must be one of {string.Join(", ", TrainingOptions.Algorithms)} (got '{algorithm}')");
        }
    }
}

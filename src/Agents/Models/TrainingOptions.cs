namespace Aviary.Agents.Models;

/// <summary>What to train: the target and task, the features (null: every other numeric or category column), the algorithm, the split and the seed.</summary>
public sealed record TrainingOptions
{
    public static readonly string[] Algorithms = ["fasttree", "lightgbm", "linear"];

    public string Target { get; init; } = "";

    /// <summary><c>regression</c> (default) or <c>binary</c>.</summary>
    public string Task { get; init; } = ModelTasks.Regression;

    public IReadOnlyList<string>? Features { get; init; }

    /// <summary><c>fasttree</c> (default), <c>lightgbm</c> or <c>linear</c> (SDCA least squares or L-BFGS logistic regression, on min-max normalised inputs).</summary>
    public string Algorithm { get; init; } = "fasttree";

    /// <summary>Share of the rows held out for testing. Default 0.2.</summary>
    public double TestFraction { get; init; } = 0.2;

    public int Seed { get; init; } = 42;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting (as <c>input.name</c>, the way plans spell them).</summary>
    public TrainingOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Target))
            throw new ArgumentException("input.target is required (the column to predict)");
        if (Task is not (ModelTasks.Regression or ModelTasks.Binary))
            throw new ArgumentException($"input.task must be regression or binary (got '{Task}')");
        if (!Algorithms.Contains(Algorithm))
            throw new ArgumentException($"input.algorithm must be one of {string.Join(", ", Algorithms)} (got '{Algorithm}')");
        if (!(TestFraction is > 0 and < 1))
            throw new ArgumentException($"input.testFraction must be between 0 and 1, exclusive (got {TestFraction})");
        if (Features is { Count: 0 })
            throw new ArgumentException("input.features must name at least one column (or be left out for all)");
        return this;
    }
}

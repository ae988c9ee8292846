using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Models;

/// <summary>
/// How Aviary looks after a model by itself: where its versions are served, when live inputs
/// count as drifted, the workflow that retrains it, how a better version is rolled out, and the
/// live quality below which it rolls back. Every field has the documented default; a model with
/// no policy set is registered and compared, never acted on.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelPolicy")]
public sealed record ModelPolicy
{
    /// <summary>The gateway service its versions are deployed to. Default: the model's name.</summary>
    [Id(0)] public string Service { get; init; } = "";

    /// <summary>The model server's base URL; version v is served at <c>{ServingUrl}/v/{v}</c>. Needed for automatic rollouts.</summary>
    [Id(1)] public string ServingUrl { get; init; } = "";

    /// <summary>How often the monitor looks at drift, quality and its own actions. Default 30 s.</summary>
    [Id(2)] public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The live window drift and quality are judged over. Default 5 minutes.</summary>
    [Id(3)] public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A feature drifted when its population stability index reaches this. Default 0.25 (the usual "significant" band).</summary>
    [Id(4)] public double MaxPsi { get; init; } = 0.25;

    /// <summary>…and its KS or chi-square test rejects "same distribution" at this level. Default 0.01.</summary>
    [Id(5)] public double Alpha { get; init; } = 0.01;

    /// <summary>Live requests a window needs before drift is judged at all. Default 500.</summary>
    [Id(6)] public int MinLiveSamples { get; init; } = 500;

    /// <summary>The workflow that retrains on drift; null: drift is reported, nothing is retrained.</summary>
    [Id(7)] public WorkflowPlan? RetrainPlan { get; init; }

    /// <summary>What <c>${input}</c> in the plan becomes (the training data, under the input folder).</summary>
    [Id(8)] public string RetrainInput { get; init; } = "";

    /// <summary>The plan's task whose result is the new model card. Default <c>train</c>.</summary>
    [Id(9)] public string TrainTask { get; init; } = "train";

    /// <summary>No second retraining within this time of the last one's start. Default 30 minutes.</summary>
    [Id(10)] public TimeSpan RetrainCooldown { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Live quality (R² for regression, accuracy for binary) below which the serving version rolls back; null: never.</summary>
    [Id(11)] public double? QualityFloor { get; init; }

    /// <summary>Labelled predictions a version needs in the window before its quality counts. Default 100.</summary>
    [Id(12)] public int MinLabels { get; init; } = 100;

    /// <summary>How much better (absolute, on the primary metric) a new version must be to replace the current one. Default 0.02.</summary>
    [Id(13)] public double Margin { get; init; } = 0.02;

    /// <summary>How a better version goes out: <c>shadow-canary</c> (default), <c>canary</c> or <c>challenger</c>.</summary>
    [Id(14)] public string Rollout { get; init; } = ModelRollouts.ShadowCanary;

    /// <summary>
    /// The canary's walk (stages, bake time, checks). With <c>shadow-canary</c> a shadow stage
    /// (0 %: copies of every request) comes first and bakes like the others.
    /// </summary>
    [Id(15)] public RolloutPolicy Canary { get; init; } = RolloutPolicy.Default;

    /// <summary>Shadow: least share of copies whose prediction agrees with the serving version's. Default 0.9.</summary>
    [Id(17)] public double MinAgreement { get; init; } = 0.9;

    /// <summary>Two regression predictions agree when they differ by at most this share of the larger. Default 0.1.</summary>
    [Id(18)] public double AgreementTolerance { get; init; } = 0.1;

    /// <summary>Champion/challenger: percent of users the challenger serves. Default 50.</summary>
    [Id(19)] public int ChallengerWeight { get; init; } = 50;

    public string ServiceFor(string model) => Service.Length > 0 ? Service : model;
}

public static class ModelRollouts
{
    public const string ShadowCanary = "shadow-canary";
    public const string Canary = "canary";
    public const string Challenger = "challenger";

    public static readonly string[] All = [ShadowCanary, Canary, Challenger];
}

using Aviary.Errors;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Tests.Models;

public sealed class ModelPolicyValidatorTests
{
    private static readonly WorkflowPlan Plan = new()
    {
        Name = "retrain",
        Tasks =
        [
            new TaskSpec { Id = "load", Agent = "data-loader", Input = new() { ["path"] = "${input}" } },
            new TaskSpec { Id = "train", Agent = "trainer", DependsOn = ["load"], Input = new() { ["data"] = "${tasks.load.result}", ["baseline"] = "${serving.card}", ["reference"] = "${serving.holdout}" } },
        ],
    };

    public static TheoryData<ModelPolicy, string> Bad => new()
    {
        { new ModelPolicy { Service = "Not A Service" }, "service" },
        { new ModelPolicy { ServingUrl = "ftp://x" }, "servingUrl" },
        { new ModelPolicy { ServingUrl = "http://x/?a=1" }, "servingUrl" },
        { new ModelPolicy { CheckInterval = TimeSpan.Zero }, "checkInterval" },
        { new ModelPolicy { Window = TimeSpan.FromHours(2) }, "window" },
        { new ModelPolicy { MaxPsi = 0 }, "maxPsi" },
        { new ModelPolicy { Alpha = 1 }, "alpha" },
        { new ModelPolicy { MinLiveSamples = 5 }, "minLiveSamples" },
        { new ModelPolicy { MinLabels = 0 }, "minLabels" },
        { new ModelPolicy { QualityFloor = double.NaN }, "qualityFloor" },
        { new ModelPolicy { QualityFloor = 1.5 }, "qualityFloor" },
        { new ModelPolicy { Margin = -0.1 }, "margin" },
        { new ModelPolicy { Rollout = "yolo" }, "rollout" },
        { new ModelPolicy { Canary = RolloutPolicy.Default with { Stages = [50, 10] } }, "stages" },
        { new ModelPolicy { Canary = RolloutPolicy.Default with { Strategy = Strategy.BlueGreen, Stages = [100] } }, "canary.strategy" },
        { new ModelPolicy { MinAgreement = 2 }, "minAgreement" },
        { new ModelPolicy { AgreementTolerance = -1 }, "agreementTolerance" },
        { new ModelPolicy { ChallengerWeight = 100 }, "challengerWeight" },
        { new ModelPolicy { RetrainPlan = Plan }, "retrainInput" },
        { new ModelPolicy { RetrainPlan = Plan, RetrainInput = "x.csv", TrainTask = "fit" }, "trainTask" },
        { new ModelPolicy { RetrainInput = "a\u0001b" }, "retrainInput" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Validate_BadPolicy_NamesTheField(ModelPolicy policy, string field) =>
        Assert.Equal(field, Assert.Throws<AviaryValidationException>(() => ModelPolicyValidator.Validate(policy)).Field);

    [Fact]
    public void Validate_Defaults_AndAFullPolicy_AreTaken()
    {
        ModelPolicyValidator.Validate(new ModelPolicy());
        ModelPolicyValidator.Validate(new ModelPolicy { ServingUrl = "http://127.0.0.1:9100", RetrainPlan = Plan, RetrainInput = "data/x.csv", QualityFloor = -0.5, Rollout = ModelRollouts.Challenger });
    }

    [Fact]
    public void ShadowCanary_PutsAShadowStageFirst_CopyingEveryMethod_WithoutJudgingBodies()
    {
        var policy = ModelServing.RolloutPolicy(new ModelPolicy { Canary = RolloutPolicy.Default with { Stages = [25, 100] } });

        Assert.Equal([0, 25, 100], policy.Stages);
        Assert.True(policy.HasShadowStage && policy.MirrorAllMethods);
        Assert.Equal((100, 1.0), (policy.MirrorPercent, policy.MaxMismatchRate));
        Assert.Equal([25, 100], ModelServing.RolloutPolicy(new ModelPolicy { Rollout = ModelRollouts.Canary, Canary = RolloutPolicy.Default with { Stages = [25, 100] } }).Stages);
        Assert.Equal("http://ms:9100/v/v2", ModelServing.Destination("http://ms:9100/", "v2"));
    }

    [Fact]
    public void RetrainPlans_NameTheServingVersionsFiles_OrNothingWhenNoneServes()
    {
        var serving = new ModelVersionView { Version = "v4", Card = "run-4/train.1.card.json", Holdout = "run-4/train.1.holdout.dataset.json" };

        var resolved = RetrainPlans.Resolve(Plan, "/data/new.csv", serving);
        var none = RetrainPlans.Resolve(Plan, "/data/new.csv", null);

        Assert.Equal("/data/new.csv", resolved.Tasks[0].Input["path"]);
        Assert.Equal(("run-4/train.1.card.json", "run-4/train.1.holdout.dataset.json"), (resolved.Tasks[1].Input["baseline"], resolved.Tasks[1].Input["reference"]));
        Assert.Equal(("", ""), (none.Tasks[1].Input["baseline"], none.Tasks[1].Input["reference"]));
    }
}

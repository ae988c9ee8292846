using Aviary.Errors;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Silo.Api;

/// <summary>
/// Body of <c>PUT /api/models/{model}/policy</c>: every field optional (the documented default
/// when left out). <see cref="RetrainPlan"/> is a plan's text, YAML or JSON, as a plan file holds it.
/// </summary>
public sealed record ModelPolicyRequest(
    string? Service = null,
    string? ServingUrl = null,
    TimeSpan? CheckInterval = null,
    TimeSpan? Window = null,
    double? MaxPsi = null,
    double? Alpha = null,
    int? MinLiveSamples = null,
    string? RetrainPlan = null,
    string? RetrainInput = null,
    string? TrainTask = null,
    TimeSpan? RetrainCooldown = null,
    double? QualityFloor = null,
    int? MinLabels = null,
    double? Margin = null,
    string? Rollout = null,
    RolloutPolicy? Canary = null,
    double? MinAgreement = null,
    double? AgreementTolerance = null,
    int? ChallengerWeight = null)
{
    public ModelPolicy ToPolicy(string model)
    {
        var d = new ModelPolicy();
        WorkflowPlan? plan = null;
        if (!string.IsNullOrWhiteSpace(RetrainPlan))
        {
            var text = RetrainPlan.TrimStart();
            try
            {
                plan = PlanFile.Parse(RetrainPlan, text.StartsWith('{'), $"{model}-retrain");
            }
            catch (AviaryValidationException ex)
            {
                throw new AviaryValidationException($"retrainPlan.{ex.Field}", ex.Rule);
            }
        }
        return new ModelPolicy
        {
            Service = Service ?? d.Service,
            ServingUrl = ServingUrl ?? d.ServingUrl,
            CheckInterval = CheckInterval ?? d.CheckInterval,
            Window = Window ?? d.Window,
            MaxPsi = MaxPsi ?? d.MaxPsi,
            Alpha = Alpha ?? d.Alpha,
            MinLiveSamples = MinLiveSamples ?? d.MinLiveSamples,
            RetrainPlan = plan,
            RetrainInput = RetrainInput ?? d.RetrainInput,
            TrainTask = TrainTask ?? d.TrainTask,
            RetrainCooldown = RetrainCooldown ?? d.RetrainCooldown,
            QualityFloor = QualityFloor,
            MinLabels = MinLabels ?? d.MinLabels,
            Margin = Margin ?? d.Margin,
            Rollout = Rollout ?? d.Rollout,
            Canary = Canary ?? d.Canary,
            MinAgreement = MinAgreement ?? d.MinAgreement,
            AgreementTolerance = AgreementTolerance ?? d.AgreementTolerance,
            ChallengerWeight = ChallengerWeight ?? d.ChallengerWeight,
        };
    }
}

using Aviary.Errors;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Models;

/// <summary>Checks a <see cref="ModelPolicy"/>; the first rule broken is refused, naming the field.</summary>
public static class ModelPolicyValidator
{
    /// <summary>The telemetry keeps an hour: no window may be longer.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    public static ModelPolicy Validate(ModelPolicy policy)
    {
        if (policy.Service.Length > 0)
            Identifiers.ValidateService(policy.Service, "service");
        if (policy.ServingUrl.Length > 0
            && (!Uri.TryCreate(policy.ServingUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0))
            throw new AviaryValidationException("servingUrl", $"must be an absolute http or https URL without query or fragment (got '{policy.ServingUrl}')");
        Between(policy.CheckInterval, TimeSpan.FromSeconds(1), MaxWindow, "checkInterval");
        Between(policy.Window, TimeSpan.FromSeconds(1), MaxWindow, "window");
        Between(policy.RetrainCooldown, TimeSpan.Zero, TimeSpan.FromDays(30), "retrainCooldown");
        if (policy.MaxPsi is not (> 0 and <= 10))
            throw new AviaryValidationException("maxPsi", "must be above 0 and at most 10 (0.25 is the usual 'significant' band)");
        Fraction(policy.Alpha, "alpha", open: true);
        if (policy.MinLiveSamples is < 10 or > 10_000_000)
            throw new AviaryValidationException("minLiveSamples", "must be between 10 and 10,000,000");
        if (policy.MinLabels is < 1 or > 10_000_000)
            throw new AviaryValidationException("minLabels", "must be between 1 and 10,000,000");
        if (policy.QualityFloor is { } floor && (!double.IsFinite(floor) || floor > 1))
            throw new AviaryValidationException("qualityFloor", "must be a number at most 1 (R² or accuracy)");
        if (policy.Margin is not (>= 0 and < 1))
            throw new AviaryValidationException("margin", "must be at least 0 and below 1");
        if (Array.IndexOf(ModelRollouts.All, policy.Rollout) < 0)
            throw new AviaryValidationException("rollout", $"must be one of {string.Join(", ", ModelRollouts.All)} (got '{policy.Rollout}')");
        RolloutPolicyValidator.Validate(policy.Canary);
        if (policy.Canary.Strategy != Strategy.Canary)
            throw new AviaryValidationException("canary.strategy", "must be canary: the model's rollout field chooses shadow or challenger");
        Fraction(policy.MinAgreement, "minAgreement", open: false);
        Fraction(policy.AgreementTolerance, "agreementTolerance", open: false);
        if (policy.ChallengerWeight is < 1 or > 99)
            throw new AviaryValidationException("challengerWeight", "must be between 1 and 99 (percent of users)");
        if (policy.RetrainPlan is { } plan)
        {
            PlanValidator.Validate(plan);
            Identifiers.ValidateName(policy.TrainTask, "trainTask");
            if (!plan.Tasks.Any(t => t.Id == policy.TrainTask))
                throw new AviaryValidationException("trainTask", $"the retrain plan has no task '{policy.TrainTask}' (its result must be the new model card)");
            if (string.IsNullOrWhiteSpace(policy.RetrainInput))
                throw new AviaryValidationException("retrainInput", "must name the training data (what ${input} in the plan becomes)");
        }
        if (policy.RetrainInput.Length > 1_000 || policy.RetrainInput.Any(char.IsControl))
            throw new AviaryValidationException("retrainInput", "must be a path of at most 1,000 characters without control characters");
        return policy;
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string field)
    {
        if (value < min || value > max)
            throw new AviaryValidationException(field, $"must be between {Durations.Format(min)} and {Durations.Format(max)}");
    }

    private static void Fraction(double value, string field, bool open)
    {
        if (open ? value is not (> 0 and < 1) : value is not (>= 0 and <= 1))
            throw new AviaryValidationException(field, open ? "must be between 0 and 1 (exclusive)" : "must be between 0 and 1");
    }
}

using Aviary.Workflows;

namespace Aviary.Models;

/// <summary>
/// A model's retraining plan made concrete for one run: in its tasks' inputs, <c>${input}</c> is
/// the policy's training data, <c>${serving.card}</c> the serving version's model card (a
/// trainer's <c>baseline</c>: both scored on the same held-out rows), <c>${serving.holdout}</c> its
/// held-out rows (a validator's <c>reference</c>), and <c>${serving.version}</c> its name; each
/// empty when nothing registered is served.
/// </summary>
public static class RetrainPlans
{
    public const string ServingCard = "${serving.card}";
    public const string ServingHoldout = "${serving.holdout}";
    public const string ServingVersion = "${serving.version}";

    public static WorkflowPlan Resolve(WorkflowPlan plan, string input, ModelVersionView? serving)
    {
        var withInput = PlanFile.WithInput(plan, input);
        return withInput with
        {
            Tasks = [.. withInput.Tasks.Select(t => t with
            {
                Input = t.Input.ToDictionary(kv => kv.Key, kv => kv.Value
                    .Replace(ServingCard, serving?.Card ?? "", StringComparison.Ordinal)
                    .Replace(ServingHoldout, serving?.Holdout ?? "", StringComparison.Ordinal)
                    .Replace(ServingVersion, serving?.Version ?? "", StringComparison.Ordinal)),
            })],
        };
    }
}

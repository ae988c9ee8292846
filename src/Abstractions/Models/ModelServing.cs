using Aviary.Rollouts;

namespace Aviary.Models;

/// <summary>How model versions meet the gateway: where a version is served, and the rollout a model's policy asks for.</summary>
public static class ModelServing
{
    /// <summary>The destination of <paramref name="version"/> on the model server at <paramref name="servingUrl"/>: <c>{url}/v/{version}</c>.</summary>
    public static string Destination(string servingUrl, string version) => $"{servingUrl.TrimEnd('/')}/v/{Uri.EscapeDataString(version)}";

    /// <summary>
    /// The rollout of a better version: the policy's canary, with a shadow stage first for
    /// <c>shadow-canary</c>. Mismatching bodies are not a failure (two model versions answer
    /// differently by design): the model's monitor judges prediction agreement instead. Every
    /// method is copied: a prediction is a POST that changes nothing.
    /// </summary>
    public static RolloutPolicy RolloutPolicy(ModelPolicy policy)
    {
        var canary = policy.Canary with { Strategy = Strategy.Canary };
        if (policy.Rollout != ModelRollouts.ShadowCanary)
            return canary;
        int[] stages = canary.Stages[0] == 0 ? canary.Stages : [0, .. canary.Stages];
        return canary with { Stages = stages, MirrorPercent = 100, MaxMismatchRate = 1, MirrorAllMethods = true };
    }
}

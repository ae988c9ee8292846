using Microsoft.Extensions.Options;

namespace Aviary.ModelServer;

/// <summary>Names the first bad model-server setting, so a misconfigured process stops with one clear line.</summary>
public sealed class ModelServerOptionsValidator : IValidateOptions<ModelServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelServerOptions options) =>
        FirstFailure(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    public static string? FirstFailure(ModelServerOptions o)
    {
        const string s = ModelServerOptions.Section;
        if (!VersionNames.IsValid(o.Model))
            return $"{s}:Model: {VersionNames.Rule} (got '{o.Model}')";
        foreach (var (version, card) in o.Models)
        {
            if (!VersionNames.IsValid(version))
                return $"{s}:Models:{version}: the version {VersionNames.Rule}";
            if (string.IsNullOrWhiteSpace(card))
                return $"{s}:Models:{version}: must be the path of a model card";
        }
        foreach (var (ensemble, e) in o.Ensembles)
        {
            var at = $"{s}:Ensembles:{ensemble}";
            if (!VersionNames.IsValid(ensemble))
                return $"{at}: the name {VersionNames.Rule}";
            if (o.Models.ContainsKey(ensemble))
                return $"{at}: the name is also a version of Models";
            if (e.Members.Count < 2)
                return $"{at}:Members: must list at least two versions";
            if (e.Members.FirstOrDefault(m => !VersionNames.IsValid(m) || o.Ensembles.ContainsKey(m)) is { } bad)
                return $"{at}:Members: '{bad}' is not a version (an ensemble's members are versions, not ensembles)";
            if (e.Members.Distinct(StringComparer.Ordinal).Count() != e.Members.Count)
                return $"{at}:Members: a version is listed twice";
            if (e.Combine is not ("mean" or "vote"))
                return $"{at}:Combine: must be mean or vote (got '{e.Combine}')";
        }
        if (o.HasApi && (!Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https")))
            return $"{s}:ApiUrl: must be an absolute http or https URL (got '{o.ApiUrl}')";
        if (o.HasApi && string.IsNullOrWhiteSpace(o.ApiKey))
            return $"{s}:ApiKey: is required with ApiUrl";
        if (o.HasApi && string.IsNullOrWhiteSpace(o.CacheDirectory))
            return $"{s}:CacheDirectory: must not be empty";
        if (o.FlushInterval < TimeSpan.FromMilliseconds(10) || o.FlushInterval > TimeSpan.FromMinutes(10))
            return $"{s}:FlushInterval: must be between 10 ms and 10 minutes";
        if (o.MaxPendingPredictions < 1)
            return $"{s}:MaxPendingPredictions: must be at least 1 (got {o.MaxPendingPredictions})";
        if (o.LoadTimeout < TimeSpan.FromMilliseconds(100) || o.LoadTimeout > TimeSpan.FromHours(1))
            return $"{s}:LoadTimeout: must be between 100 ms and 1 hour";
        if (o.RetryLoadAfter < TimeSpan.Zero || o.RetryLoadAfter > TimeSpan.FromHours(1))
            return $"{s}:RetryLoadAfter: must be between 0 and 1 hour";
        if (o.SendTimeout < TimeSpan.FromMilliseconds(100) || o.SendTimeout > TimeSpan.FromMinutes(5))
            return $"{s}:SendTimeout: must be between 100 ms and 5 minutes";
        if (o.SendAttempts is < 1 or > 10)
            return $"{s}:SendAttempts: must be between 1 and 10 (got {o.SendAttempts})";
        if (o.MaxRequestBytes is < 1024 or > 16 * 1024 * 1024)
            return $"{s}:MaxRequestBytes: must be between 1024 and 16777216 (got {o.MaxRequestBytes})";
        return null;
    }
}

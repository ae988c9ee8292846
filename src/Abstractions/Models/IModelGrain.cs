namespace Aviary.Models;

/// <summary>
/// The registry of one model (key: the model's name): its versions with figures and lineage,
/// aliases (champion, challenger, any name), its policy and a bounded log of what happened to it.
/// </summary>
[Alias("aviary.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>The model, or null when nothing was ever registered or set for it.</summary>
    [Alias("Get")]
    Task<ModelView?> GetAsync();

    /// <summary>Registers a version (its number is the next free one: v1, v2, …) with the reference its live inputs are compared with.</summary>
    [Alias("Register")]
    Task<ModelVersionView> RegisterAsync(ModelVersionView draft, ReferenceProfile reference);

    /// <summary>A version by its name or an alias of it.</summary>
    [Alias("GetVersion")]
    Task<ModelVersionView> GetVersionAsync(string versionOrAlias);

    [Alias("GetReference")]
    Task<ReferenceProfile> GetReferenceAsync(string version);

    [Alias("SetAlias")]
    Task<ModelView> SetAliasAsync(string alias, string versionOrAlias, string by, string reason);

    [Alias("RemoveAlias")]
    Task<ModelView> RemoveAliasAsync(string alias, string by);

    /// <summary>Removes a version no alias points at.</summary>
    [Alias("RemoveVersion")]
    Task<ModelView> RemoveVersionAsync(string version, string by);

    [Alias("SetPolicy")]
    Task<ModelView> SetPolicyAsync(ModelPolicy policy, string by);

    /// <summary>Forgets the model: its versions, aliases, policy and log (the files of its runs stay).</summary>
    [Alias("Remove")]
    Task RemoveAsync();

    /// <summary>Adds an event to the model's log (the monitor's automatic actions).</summary>
    [Alias("Record")]
    Task RecordAsync(ModelEvent evt);
}

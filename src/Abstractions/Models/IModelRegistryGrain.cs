namespace Aviary.Models;

/// <summary>The names of all models (key <see cref="Key"/>), so they can be listed.</summary>
[Alias("aviary.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("Add")]
    Task AddAsync(string model);

    [Alias("Remove")]
    Task RemoveAsync(string model);

    [Alias("List")]
    Task<string[]> ListAsync();
}

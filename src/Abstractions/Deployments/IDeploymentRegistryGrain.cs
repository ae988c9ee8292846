namespace Aviary.Deployments;

/// <summary>The names of all deployed services (key <see cref="Key"/>), so they can be listed.</summary>
[Alias("aviary.IDeploymentRegistryGrain")]
public interface IDeploymentRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("Add")]
    Task AddAsync(string service);

    [Alias("Remove")]
    Task RemoveAsync(string service);

    [Alias("List")]
    Task<string[]> ListAsync();
}

namespace Aviary.Workflows;

/// <summary>The most recent runs (key <see cref="Key"/>), so they can be listed.</summary>
[Alias("aviary.IWorkflowRegistryGrain")]
public interface IWorkflowRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";
    public const int MaxRuns = 500;

    [Alias("Add")]
    Task AddAsync(string runId);

    /// <summary>Run ids, newest last.</summary>
    [Alias("List")]
    Task<string[]> ListAsync();
}

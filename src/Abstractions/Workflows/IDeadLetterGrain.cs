namespace Aviary.Workflows;

/// <summary>The dead-letter queue (key <see cref="Key"/>): failed tasks after their last retry.</summary>
[Alias("aviary.IDeadLetterGrain")]
public interface IDeadLetterGrain : IGrainWithStringKey
{
    public const string Key = "all";
    public const int MaxEntries = 10_000;

    /// <summary>Adds (or replaces, by key) entries in one write: a run sends all its dead letters of one flush together.</summary>
    [Alias("AddMany")]
    Task AddAsync(DeadLetter[] entries);

    /// <summary>One entry: what runs of earlier builds call during a rolling upgrade.</summary>
    [Alias("Add")]
    Task AddAsync(DeadLetter entry);

    [Alias("List")]
    Task<DeadLetter[]> ListAsync();

    /// <summary>The entry <c>run:task</c>, or null.</summary>
    [Alias("Get")]
    Task<DeadLetter?> GetAsync(string key);

    [Alias("Remove")]
    Task<bool> RemoveAsync(string key);

    /// <summary>Removes every entry; returns how many there were.</summary>
    [Alias("Purge")]
    Task<int> PurgeAsync();
}

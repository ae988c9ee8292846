namespace Aviary.ModelServer;

/// <summary>Finds a version's model card on this machine, fetching it first if need be.</summary>
public interface IModelSource
{
    /// <summary>
    /// The local path of the version's card (its model file beside it), or null when the source
    /// does not know the version. A version it knows but cannot provide throws (the reason is
    /// answered as 503).
    /// </summary>
    Task<string?> ResolveAsync(string version, CancellationToken cancellationToken);

    /// <summary>The version's members and how they combine when it is an ensemble registered elsewhere (the registry); null otherwise.</summary>
    Task<EnsembleOptions?> EnsembleAsync(string version, CancellationToken cancellationToken) => Task.FromResult<EnsembleOptions?>(null);
}

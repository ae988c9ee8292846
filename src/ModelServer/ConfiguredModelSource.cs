namespace Aviary.ModelServer;

/// <summary>Versions from configuration (<c>Aviary:ModelServer:Models:{version}</c> = card path), then, if set, another source.</summary>
public sealed class ConfiguredModelSource(ModelServerOptions options, IModelSource? next = null) : IModelSource
{
    public Task<string?> ResolveAsync(string version, CancellationToken cancellationToken) =>
        options.Models.TryGetValue(version, out var card)
            ? Task.FromResult<string?>(Path.GetFullPath(card))
            : next?.ResolveAsync(version, cancellationToken) ?? Task.FromResult<string?>(null);

    public Task<EnsembleOptions?> EnsembleAsync(string version, CancellationToken cancellationToken) =>
        options.Models.ContainsKey(version) || next is null ? Task.FromResult<EnsembleOptions?>(null) : next.EnsembleAsync(version, cancellationToken);
}

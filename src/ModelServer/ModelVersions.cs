using System.Collections.Concurrent;
using Aviary.Agents.Models;

namespace Aviary.ModelServer;

/// <summary>
/// The versions this process serves, each loaded on first use (its card found by the
/// <see cref="IModelSource"/>, then <see cref="ModelPackage.Load"/>) and kept. A caller waits at
/// most <see cref="ModelServerOptions.LoadTimeout"/>, then is told the version is still loading;
/// a failed load is remembered for <see cref="ModelServerOptions.RetryLoadAfter"/>, then tried
/// again; an unknown version is not remembered at all, so names made up by clients take no memory.
/// </summary>
public sealed partial class ModelVersions(IModelSource source, ModelServerOptions options, TimeProvider time, ILogger<ModelVersions> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<VersionState>>> _loads = new(StringComparer.Ordinal);

    /// <summary>The versions loaded so far (not ensembles): whose observations are sent.</summary>
    public IEnumerable<ServedVersion> Loaded =>
        _loads.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully && l.Value.Result.Served is { Package: not null })
            .Select(l => l.Value.Result.Served!);

    /// <summary>The configured versions and ensembles, as readiness counts them.</summary>
    public IEnumerable<string> Configured => options.Models.Keys.Concat(options.Ensembles.Keys);

    public async Task<VersionState> GetAsync(string version, CancellationToken cancellationToken)
    {
        var entry = _loads.GetOrAdd(version, v => new Lazy<Task<VersionState>>(() => Task.Run(() => LoadAsync(v))));
        var load = entry.Value;
        if (!load.IsCompleted)
        {
            try
            {
                await load.WaitAsync(options.LoadTimeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new VersionState(version, VersionStatus.Loading, null, $"version '{version}' is still loading", time.GetUtcNow());
            }
        }
        var state = await load;
        // Forget what should be asked again: an unknown version now, a failed one once its wait is over.
        if (state.Status == VersionStatus.Unknown || (state.Status == VersionStatus.Failed && time.GetUtcNow() - state.At >= options.RetryLoadAfter))
            _loads.TryRemove(KeyValuePair.Create(version, entry));
        return state;
    }

    /// <summary>The state of a version whose load has finished, without starting one; null while loading or never asked.</summary>
    public VersionState? Peek(string version) =>
        _loads.TryGetValue(version, out var entry) && entry.IsValueCreated && entry.Value.IsCompleted ? entry.Value.Result : null;

    private async Task<VersionState> LoadAsync(string version)
    {
        var now = time.GetUtcNow();
        try
        {
            if (options.Ensembles.TryGetValue(version, out var ensemble))
                return await LoadEnsembleAsync(version, ensemble);
            using var timeout = new CancellationTokenSource(options.LoadTimeout, time);
            if (await source.EnsembleAsync(version, timeout.Token) is { } registered)
                return await LoadEnsembleAsync(version, registered);
            var card = await source.ResolveAsync(version, timeout.Token);
            if (card is null)
                return new VersionState(version, VersionStatus.Unknown, null, $"model '{options.Model}' has no version '{version}'", now);
            var package = ModelPackage.Load(card);
            LogLoaded(logger, options.Model, version, package.Card.Task, package.Card.Algorithm);
            return VersionState.Ready(ServedVersion.Single(version, package, new ObservationRecorder(version, package.Card.Reference, options.MaxPendingPredictions)), now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever a source or a model file does wrong is this version's failure, answered 503; never the process'.
            var reason = ex is OperationCanceledException ? $"loading version '{version}' took longer than {options.LoadTimeout.TotalSeconds:0.#} s" : ex.Message;
            LogLoadFailed(logger, options.Model, version, reason);
            return new VersionState(version, VersionStatus.Failed, null, reason, now);
        }
    }

    private async Task<VersionState> LoadEnsembleAsync(string name, EnsembleOptions ensemble)
    {
        var now = time.GetUtcNow();
        var members = new List<ServedVersion>();
        foreach (var member in ensemble.Members)
        {
            var state = await GetAsync(member, CancellationToken.None);
            if (state.Served is null)
                return new VersionState(name, VersionStatus.Failed, null, $"ensemble '{name}': member '{member}': {state.Reason}", now);
            members.Add(state.Served);
        }
        var (first, card) = (members[0], members[0].Package!.Card);
        if (members.FirstOrDefault(m => m.Package!.Card.Task != card.Task || !string.Equals(m.Package.Card.Target, card.Target, StringComparison.OrdinalIgnoreCase)) is { } odd)
            return new VersionState(name, VersionStatus.Failed, null, $"ensemble '{name}': '{odd.Name}' predicts {odd.Package!.Card.Target} ({odd.Task}), '{first.Name}' {card.Target} ({card.Task})", now);
        if (ensemble.Combine == "vote" && card.Task != ModelTasks.Binary)
            return new VersionState(name, VersionStatus.Failed, null, $"ensemble '{name}': vote combines binary models; its members are {card.Task} models", now);
        return VersionState.Ready(ServedVersion.Ensemble(name, members, ensemble.Combine), now);
    }
}

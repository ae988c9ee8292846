using Aviary.Errors;
using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>
/// One model's registry (see <see cref="IModelGrain"/>). Every change is one write of the whole
/// state, which is bounded: at most <see cref="ModelState.MaxVersions"/> versions (remove old ones
/// to register more), <see cref="ModelState.MaxAliases"/> aliases, the last
/// <see cref="ModelState.MaxEvents"/> events.
/// </summary>
public sealed class ModelGrain(
    [PersistentState("model", Names.Storage)] IPersistentState<ModelState> store,
    AviaryClock clock) : Grain, IModelGrain
{
    private string Model => this.GetPrimaryKeyString();

    Task<ModelView?> IModelGrain.GetAsync() =>
        Task.FromResult(store.RecordExists || store.State.Versions.Count > 0 ? View() : null);

    async Task<ModelVersionView> IModelGrain.RegisterAsync(ModelVersionView draft, ReferenceProfile reference)
    {
        ModelNames.Validate(Model);
        var state = store.State;
        if (state.Versions.Count >= ModelState.MaxVersions)
            throw new AviaryConflictException("versions", $"{Model} has {ModelState.MaxVersions} versions, the most kept: remove old ones first (aviary model remove)");
        foreach (var member in draft.Members)
        {
            if (Find(member) is null)
                throw new AviaryValidationException("members", $"{Model} has no version '{member}'");
        }
        var version = draft with
        {
            Version = ModelNames.VersionName(state.NextNumber),
            RegisteredAt = clock.Now,
        };
        var evt = Event(ModelEventKind.Registered, version.Version, draft.RegisteredBy,
            version.IsEnsemble ? $"{version.Version} registered: ensemble of {string.Join(", ", version.Members)} ({version.Combine})"
                : $"{version.Version} registered: {version.Algorithm} {version.Task} from run {version.Run} ({version.DescribeMetrics()})");
        await WriteAsync(new ModelState
        {
            Versions = [.. state.Versions, version],
            References = new(state.References) { [version.Version] = reference },
            Aliases = state.Aliases,
            Policy = state.Policy,
            Events = Append(state.Events, evt),
            NextNumber = state.NextNumber + 1,
        });
        if (state.Versions.Count == 0)
            await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).AddAsync(Model);
        return version;
    }

    Task<ModelVersionView> IModelGrain.GetVersionAsync(string versionOrAlias) => Task.FromResult(Resolve(versionOrAlias, "version"));

    Task<ReferenceProfile> IModelGrain.GetReferenceAsync(string version) =>
        Task.FromResult(store.State.References.GetValueOrDefault(Resolve(version, "version").Version) ?? new ReferenceProfile());

    async Task<ModelView> IModelGrain.SetAliasAsync(string alias, string versionOrAlias, string by, string reason)
    {
        ModelNames.ValidateAlias(alias);
        var target = Resolve(versionOrAlias, "version");
        var state = store.State;
        if (state.Aliases.GetValueOrDefault(alias) == target.Version)
            return View();
        if (!state.Aliases.ContainsKey(alias) && state.Aliases.Count >= ModelState.MaxAliases)
            throw new AviaryConflictException("alias", $"{Model} has {ModelState.MaxAliases} aliases, the most kept: remove one first");
        var before = state.Aliases.GetValueOrDefault(alias);
        var message = before is null ? $"{alias} → {target.Version}" : $"{alias}: {before} → {target.Version}";
        if (reason.Length > 0)
            message += $" ({reason})";
        await WriteAsync(With(state, aliases: new(state.Aliases) { [alias] = target.Version }, evt: Event(ModelEventKind.AliasSet, target.Version, by, message)));
        return View();
    }

    async Task<ModelView> IModelGrain.RemoveAliasAsync(string alias, string by)
    {
        ModelNames.ValidateAlias(alias);
        var state = store.State;
        if (!state.Aliases.TryGetValue(alias, out var version))
            throw new AviaryNotFoundException("alias", $"{Model} has no alias '{alias}'");
        var aliases = new Dictionary<string, string>(state.Aliases);
        aliases.Remove(alias);
        await WriteAsync(With(state, aliases: aliases, evt: Event(ModelEventKind.AliasRemoved, version, by, $"{alias} removed (was {version})")));
        return View();
    }

    async Task<ModelView> IModelGrain.RemoveVersionAsync(string version, string by)
    {
        var target = Find(version) ?? throw new AviaryNotFoundException("version", $"{Model} has no version '{version}'");
        var state = store.State;
        if (state.Aliases.Where(a => a.Value == target.Version).Select(a => a.Key).FirstOrDefault() is { } alias)
            throw new AviaryConflictException("version", $"{target.Version} is {alias}: move or remove the alias first");
        if (state.Versions.FirstOrDefault(v => v.Members.Contains(target.Version)) is { } ensemble)
            throw new AviaryConflictException("version", $"{target.Version} is a member of ensemble {ensemble.Version}: remove that first");
        var references = new Dictionary<string, ReferenceProfile>(state.References);
        references.Remove(target.Version);
        await WriteAsync(new ModelState
        {
            Versions = [.. state.Versions.Where(v => v.Version != target.Version)],
            References = references,
            Aliases = state.Aliases,
            Policy = state.Policy,
            Events = state.Events,
            NextNumber = state.NextNumber,
        });
        return View();
    }

    async Task<ModelView> IModelGrain.SetPolicyAsync(ModelPolicy policy, string by)
    {
        ModelNames.Validate(Model);
        ModelPolicyValidator.Validate(policy);
        await WriteAsync(With(store.State, policy: policy, evt: Event(ModelEventKind.PolicySet, null, by, $"policy set: service {policy.ServiceFor(Model)}, rollout {policy.Rollout}"
            + (policy.RetrainPlan is null ? ", no retraining" : $", retrains with plan {policy.RetrainPlan.Name}")
            + (policy.QualityFloor is { } floor ? $", quality floor {floor:0.###}" : ""))));
        if (store.State.Versions.Count == 0)
            await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).AddAsync(Model);
        // The monitor is told by the caller, not from here: it reads this grain as it starts.
        return View();
    }

    async Task IModelGrain.RemoveAsync()
    {
        await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).RemoveAsync(Model);
        await store.ClearStateAsync();
        store.State = new ModelState();
    }

    async Task IModelGrain.RecordAsync(ModelEvent evt) => await WriteAsync(With(store.State, evt: evt with { Model = Model }));

    private ModelVersionView Resolve(string versionOrAlias, string field)
    {
        if (string.IsNullOrWhiteSpace(versionOrAlias))
            throw new AviaryValidationException(field, "must name a version (v1, v2, …) or an alias");
        var name = store.State.Aliases.GetValueOrDefault(versionOrAlias) ?? versionOrAlias;
        return Find(name) ?? throw new AviaryNotFoundException(field, store.State.Versions.Count == 0
            ? $"no model '{Model}'"
            : $"{Model} has no version or alias '{versionOrAlias}' (versions: {string.Join(", ", store.State.Versions.TakeLast(10).Select(v => v.Version))}; aliases: {(store.State.Aliases.Count == 0 ? "none" : string.Join(", ", store.State.Aliases.Keys))})");
    }

    private ModelVersionView? Find(string version) => store.State.Versions.Find(v => v.Version == version);

    private ModelEvent Event(ModelEventKind kind, string? version, string by, string message) =>
        new() { Model = Model, Kind = kind, Version = version, At = clock.Now, By = by, Message = message };

    private static List<ModelEvent> Append(List<ModelEvent> events, ModelEvent evt) =>
        [.. events.Skip(Math.Max(0, events.Count + 1 - ModelState.MaxEvents)), evt];

    private static ModelState With(ModelState state, Dictionary<string, string>? aliases = null, ModelPolicy? policy = null, ModelEvent? evt = null) => new()
    {
        Versions = state.Versions,
        References = state.References,
        Aliases = aliases ?? state.Aliases,
        Policy = policy ?? state.Policy,
        Events = evt is null ? state.Events : Append(state.Events, evt),
        NextNumber = state.NextNumber,
    };

    private Task WriteAsync(ModelState next) => store.WriteOrRevertAsync(next);

    private ModelView View() => new()
    {
        Model = Model,
        Versions = [.. store.State.Versions],
        Aliases = new(store.State.Aliases),
        Policy = store.State.Policy ?? new ModelPolicy(),
        HasPolicy = store.State.Policy is not null,
        Events = [.. store.State.Events],
    };
}

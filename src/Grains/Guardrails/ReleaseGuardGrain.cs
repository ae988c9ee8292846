using Aviary.Deployments;
using Aviary.Guardrails;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Aviary.Grains.Guardrails;

/// <summary>
/// The shell around <see cref="ReleaseQueue"/>: persists each change, then tells deployments to
/// start or drop their queued deploys with one-way messages (it never waits on a deployment, which
/// may be waiting on it). A reminder, held while anything is active or queued, moves the queue
/// when a freeze ends and asks deployments about slots whose end it may have missed.
/// </summary>
public sealed partial class ReleaseGuardGrain(
    [PersistentState("guard", Names.Storage)] IPersistentState<ReleaseGuardState> store,
    AviaryClock clock,
    ILogger<ReleaseGuardGrain> logger) : Grain, IReleaseGuardGrain, IRemindable
{
    private const string ReminderName = "release-guard";
    private bool? _holdsReminder;
    private static readonly TimeSpan ReconcilePeriod = TimeSpan.FromMinutes(1);

    Task<GuardrailPolicy> IReleaseGuardGrain.GetPolicyAsync() => Task.FromResult(store.State.Policy);

    async Task<GuardrailPolicy> IReleaseGuardGrain.SetPolicyAsync(GuardrailPolicy policy)
    {
        GuardrailPolicyValidator.Validate(policy);
        var (next, started) = ReleaseQueue.Pump(store.State with { Policy = policy }, clock.Now);
        await ApplyAsync(next, started, []);
        LogPolicySet(logger, policy.Freezes.Length, policy.MaxActiveRollouts, policy.Groups.Length, policy.Approvals.Length);
        return policy;
    }

    Task IReleaseGuardGrain.CheckFreezeAsync(string? freezeOverride)
    {
        ReleaseQueue.RefuseInFreeze(store.State.Policy, freezeOverride, clock.Now);
        return Task.CompletedTask;
    }

    async Task<Admission> IReleaseGuardGrain.AdmitAsync(ReleaseRequest request)
    {
        var (next, admission, started) = ReleaseQueue.Admit(store.State, request, clock.Now);
        await ApplyAsync(next, started, []);
        if (admission.Start)
            LogAdmitted(logger, request.RolloutId, request.Service, request.FreezeOverride);
        else
            LogQueued(logger, request.RolloutId, request.Service, admission.Position, admission.Waiting);
        return admission;
    }

    async Task IReleaseGuardGrain.FinishedAsync(ReleaseFinished finished)
    {
        var (next, started, cancelled) = ReleaseQueue.Finish(store.State, finished, clock.Now);
        await ApplyAsync(next, started, cancelled);
    }

    async Task IReleaseGuardGrain.WithdrawAsync(string rolloutId)
    {
        var (next, started, cancelled) = ReleaseQueue.Withdraw(store.State, rolloutId, clock.Now);
        // The operator's own deploy is already withdrawn by its deployment; the others are told.
        await ApplyAsync(next, started, [.. cancelled.Where(c => c.Release.RolloutId != rolloutId)]);
    }

    Task<ReleaseQueueView> IReleaseGuardGrain.GetQueueAsync() => Task.FromResult(ReleaseQueue.View(store.State, clock.Now));

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        var (next, started) = ReleaseQueue.Pump(store.State, clock.Now);
        await ApplyAsync(next, started, []);
        // Slots whose start or end message may have been lost with a silo: the start is sent again,
        // and the deployment starts the rollout if it still waits, or answers with FinishedAsync when it is over.
        foreach (var active in store.State.Active.Where(a => clock.Now - a.Since >= ReconcilePeriod))
            SendStart(active.Service, active.RolloutId);
    }

    /// <summary>Persist, then tell: queued deploys to start, cancelled ones why.</summary>
    private async Task ApplyAsync(ReleaseGuardState next, QueuedRelease[] started, (QueuedRelease Release, string Reason)[] cancelled)
    {
        if (!ReferenceEquals(next, store.State))
            await store.WriteOrRevertAsync(next);
        foreach (var release in started)
        {
            LogStarting(logger, release.RolloutId, release.Service);
            SendStart(release.Service, release.RolloutId);
        }
        foreach (var (release, reason) in cancelled)
        {
            LogCancelled(logger, release.RolloutId, release.Service, reason);
            GrainFactory.GetGrain<IDeploymentGrain>(release.Service).CancelQueuedAsync(release.RolloutId, reason).Ignore();
        }
        await KeepReminderAsync();
    }

    /// <summary>One-way: the guard never waits on a deployment.</summary>
    private void SendStart(string service, string rolloutId) =>
        GrainFactory.GetGrain<IDeploymentGrain>(service).StartQueuedAsync(rolloutId, store.State.Policy.RequiredApprovals(service)).Ignore();

    private async Task KeepReminderAsync()
    {
        var busy = store.State.Active.Length > 0 || store.State.Queued.Length > 0;
        if (busy == _holdsReminder)
            return;
        var reminder = await this.GetReminder(ReminderName);
        if (busy && reminder is null)
            await this.RegisterOrUpdateReminder(ReminderName, ReconcilePeriod, ReconcilePeriod);
        else if (!busy && reminder is not null)
            await this.UnregisterReminder(reminder);
        _holdsReminder = busy;
    }
}

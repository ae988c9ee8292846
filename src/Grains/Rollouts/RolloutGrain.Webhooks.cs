using System.Text.Json;
using Aviary.Errors;
using Aviary.Rollouts;
using Aviary.Webhooks;
using Aviary.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The rollout's webhooks: its transitions handed to the registry once persisted, and its moves to
/// a new stage put to the confirm-promotion hooks first. Kept apart from the state machine's shell.
/// </summary>
public sealed partial class RolloutGrain
{
    private IWebhookGate Gate => ServiceProvider.GetRequiredService<IWebhookGate>();

    /// <summary>
    /// <c>rollout.starting</c>: before anything is stored, the gating hooks are asked; a refusal or
    /// no answer refuses the start (the deployment, waiting on it, puts its reservation back).
    /// </summary>
    private async Task AskToStartAsync(RolloutSpec spec)
    {
        var answer = await AskGateAsync(new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = WebhookEvents.RolloutStarting,
            At = clock.Now,
            Service = spec.Service,
            RolloutId = spec.RolloutId,
            Version = spec.Version,
            StableVersion = spec.StableVersion,
            Status = "pending",
            Stage = 0,
            Weight = spec.Policy.WeightAt(RolloutStatus.Progressing, 0),
            Message = $"{spec.Service}: may {spec.Version} start a rollout over {spec.StableVersion}?",
        });
        if (!answer.Passed)
            throw new AviaryConflictException("webhook", $"deploy refused: {answer.Reason}");
    }

    /// <summary>A check's decision, after the confirm-promotion hooks had their say when it would move the rollout to a new stage.</summary>
    private async Task<RolloutDecision> CheckWithHooksAsync(HealthObservation observation, DateTimeOffset now)
    {
        var decision = Decide(new RolloutCommand.Check(observation), now);
        if (!RolloutDecider.MovesStage(Machine, decision.State))
            return decision;
        var answer = await AskConfirmationAsync(decision);
        return answer.Passed ? decision : Decide(new RolloutCommand.Check(observation with { Confirmation = answer }), now);
    }

    /// <summary>An operator's (or an approval link's) promote, refused with a conflict naming the hook when a confirm-promotion hook does not agree.</summary>
    private async Task<RolloutView> PromoteWithHooksAsync(bool full)
    {
        var decision = Decide(new RolloutCommand.Promote(full), clock.Now);
        var answer = await AskConfirmationAsync(decision);
        if (!answer.Passed)
            throw new AviaryConflictException("webhook", $"promotion refused: {answer.Reason}");
        await ApplyAsync(decision);
        return View();
    }

    /// <summary>
    /// The two-person rule's last approval moves the rollout on only when its confirm-promotion hooks
    /// agree; otherwise the approvals are kept and the rollout resumes its checks, which ask again.
    /// </summary>
    private async Task<RolloutView> ApproveWithHooksAsync(string approver)
    {
        var approval = new RolloutCommand.Approve(approver, Spec.RequestedBy);
        var now = clock.Now;
        var decision = Decide(approval, now);
        if (RolloutDecider.MovesStage(Machine, decision.State) && !(await AskConfirmationAsync(decision)).Passed)
            decision = Decide(approval with { Proceed = false }, now);
        await ApplyAsync(decision);
        return View();
    }

    private async Task<GateAnswer> AskConfirmationAsync(RolloutDecision decision)
    {
        var spec = Spec;
        return await AskGateAsync(Notice(WebhookEvents.RolloutConfirmPromotion, decision.State, decision.At,
            $"{spec.Service} {spec.Version}: may it move to {RolloutDecider.Weight(decision.State, spec.Policy)} %?", null));
    }

    private async Task<GateAnswer> AskGateAsync(WebhookNotice notice)
    {
        try
        {
            return await Gate.AskAsync(notice);
        }
        catch (Exception ex)
        {
            // The gate itself failed (not a receiver's answer): as a receiver that did not answer.
            LogGateFailed(logger, ex, notice.RolloutId ?? "", notice.Event);
            return new GateAnswer { Failed = true, Reason = $"the {notice.Event} hooks could not be asked ({ex.GetType().Name})" };
        }
    }

    /// <summary>Hands the decision's events to the webhooks; a paused gate's event carries a one-time approval link.</summary>
    private async Task NotifyHooksAsync(RolloutDecision decision)
    {
        var spec = Spec;
        foreach (var e in decision.Events)
        {
            if (EventName(e.Kind) is not { } name)
                continue;
            try
            {
                var token = e.Kind == RolloutEventKind.Paused && decision.State.PauseKind == PauseKind.Gate
                    ? await IssueApprovalAsync(decision.State, decision.At)
                    : null;
                await WebhookPublishing.TryPublishAsync(GrainFactory, Notice(name, decision.State, decision.At, e.Message, token), logger);
            }
            catch (Exception ex)
            {
                // Notifications never fail or hold up a transition: the persisted state is the record.
                LogNotifyFailed(logger, ex, spec.RolloutId, name);
            }
        }
    }

    private async Task<string> IssueApprovalAsync(RolloutState state, DateTimeOffset at)
    {
        var spec = Spec;
        var token = ApprovalTokens.New();
        var lifetime = (ServiceProvider.GetService<IOptions<WebhookOptions>>()?.Value ?? new WebhookOptions()).ApprovalLifetime;
        var next = spec.Policy.Strategy == Strategy.Canary && state.StageIndex + 1 < spec.Policy.Stages.Length ? spec.Policy.Stages[state.StageIndex + 1] : 100;
        await GrainFactory.GetGrain<IApprovalGrain>(ApprovalTokens.Key(token)).IssueAsync(new ApprovalView
        {
            Service = spec.Service,
            RolloutId = spec.RolloutId,
            Version = spec.Version,
            StageIndex = state.StageIndex,
            NextWeight = next,
            ExpiresAt = at + lifetime,
        });
        return token;
    }

    private WebhookNotice Notice(string name, RolloutState state, DateTimeOffset at, string message, string? approvalToken)
    {
        var spec = Spec;
        var verdict = state.Verdicts.LastOrDefault();
        return new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = name,
            At = at,
            Service = spec.Service,
            RolloutId = spec.RolloutId,
            Version = spec.Version,
            StableVersion = spec.StableVersion,
            Status = JsonNamingPolicy.CamelCase.ConvertName(state.Status.ToString()),
            Stage = state.StageIndex,
            Weight = RolloutDecider.Weight(state, spec.Policy),
            Message = message,
            Figures = verdict is null ? null : new WebhookFigures
            {
                Result = JsonNamingPolicy.CamelCase.ConvertName(verdict.Result.ToString()),
                CanaryErrorRate = verdict.Canary.ErrorRate,
                CanaryP95Ms = verdict.Canary.P95Ms,
                CanaryCount = verdict.Canary.Count,
                StableErrorRate = verdict.Stable.ErrorRate,
                StableP95Ms = verdict.Stable.P95Ms,
                StableCount = verdict.Stable.Count,
            },
            ApprovalToken = approvalToken,
        };
    }

    /// <summary>The webhook event of a transition; checks, resumes and promotes by hand have none of their own (a promote's stage change has).</summary>
    private static string? EventName(RolloutEventKind kind) => kind switch
    {
        RolloutEventKind.Started or RolloutEventKind.StageAdvanced => WebhookEvents.RolloutStage,
        RolloutEventKind.Paused => WebhookEvents.RolloutPaused,
        RolloutEventKind.RolledBack => WebhookEvents.RolloutRolledBack,
        RolloutEventKind.Succeeded => WebhookEvents.RolloutSucceeded,
        RolloutEventKind.Aborted => WebhookEvents.RolloutAborted,
        _ => null,
    };
}

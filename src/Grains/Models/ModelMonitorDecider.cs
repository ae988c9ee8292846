using System.Globalization;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Grains.Models;

/// <summary>
/// Decides what a model's monitor does at one check; pure (facts in, state and actions out),
/// like the rollout decider. By phase:
/// <list type="bullet">
/// <item>watching: the serving version's live quality below the floor rolls back to the last good
/// version; drift of its live inputs starts the retraining workflow (once per cooldown);</item>
/// <item>retraining: the run's end registers its model card, or reports its failure;</item>
/// <item>shadow / canary: the candidate's rollout judges errors and latency; the monitor adds
/// prediction agreement (shadow stage) and live quality (floor, and no worse than the serving
/// version by the margin), and aborts on either; the rollout's success makes it champion;</item>
/// <item>challenger: a long-running split, ended when one version beats the other by the margin on
/// enough labelled requests each.</item>
/// </list>
/// </summary>
public static class ModelMonitorDecider
{
    public static MonitorDecision Decide(ModelMonitorState state, MonitorFacts facts) => state.Phase switch
    {
        ModelPhases.Retraining => Retraining(state, facts),
        ModelPhases.Shadow or ModelPhases.Canary => RollingOut(state, facts),
        ModelPhases.Challenger => Challenging(state, facts),
        _ => Watching(state, facts),
    };

    private static MonitorDecision Watching(ModelMonitorState state, MonitorFacts facts)
    {
        var policy = facts.Model.Policy;
        var serving = facts.Deployment?.StableVersion is { Length: > 0 } stable ? stable : null;
        if (serving is null)
            return new(state, [], "nothing served yet: deploy a version to the model's service");
        // A rollout of a registered version started by hand is judged like one of the monitor's own.
        if (facts.Deployment is { ActiveRolloutId: { } active, CanaryVersion: { } canary } && facts.Model.Find(canary) is not null)
            return RollingOut(state with { Phase = ModelPhases.Canary, Candidate = canary, RolloutId = active }, facts);

        var actions = new List<MonitorAction>();
        var next = state;
        var belowFloor = "";
        var quality = facts.Telemetry.Find(serving)?.Quality ?? new QualityFigures();
        if (policy.QualityFloor is { } floor && quality.Labels >= policy.MinLabels && quality.Value < floor)
        {
            if (next.LastGood is { } good && good != serving && facts.Model.Find(good) is not null)
            {
                var reason = $"{serving} live {Quality(quality)} is below the floor {Figure(floor)}: back to {good}, the last good version";
                actions.Add(new MonitorAction.Rollback(good, reason));
                actions.Add(new MonitorAction.Tell(ModelEventKind.RolledBack, serving, reason));
                return new(next, actions, reason);
            }
            belowFloor = $"{serving} live {Quality(quality)} is below the floor {Figure(floor)}, with no earlier good version to go back to; ";
        }
        else if (quality.Labels >= policy.MinLabels && next.LastGood != serving)
        {
            next = next with { LastGood = serving };
        }

        if (facts.Drift is not { } drift)
            return new(next with { Drifted = false }, actions, belowFloor + $"{serving}: drift not judged (fewer than {policy.MinLiveSamples} live requests in the window, or no training reference)");
        var drifted = drift.Where(f => f.Drifted).ToList();
        if (drifted.Count == 0)
            return new(next with { Drifted = false }, actions, belowFloor + $"{serving}: no drift ({Describe(drift.OrderByDescending(f => f.Psi).Take(1))})");

        var what = Describe(drifted);
        if (!state.Drifted)
            actions.Add(new MonitorAction.Tell(ModelEventKind.DriftDetected, serving, $"live inputs of {serving} drifted: {what}"));
        next = next with { Drifted = true };
        if (policy.RetrainPlan is null)
            return new(next, actions, $"drifted ({what}); no retrain plan set");
        if (next.RetrainStartedAt is { } last && facts.Now < last + policy.RetrainCooldown)
            return new(next, actions, $"drifted ({what}); the last retraining started {last:u}, the next may start after {last + policy.RetrainCooldown:u}");
        if (string.IsNullOrEmpty(policy.ServingUrl))
            return new(next, actions, $"drifted ({what}); set the policy's servingUrl so a retrained version can be rolled out");
        if (facts.Deployment?.ActiveRolloutId is { } busy)
            return new(next, actions, $"drifted ({what}); waiting for rollout {busy} to end before retraining");

        var run = $"{facts.Model.Model}-retrain-{facts.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        var message = $"retraining {facts.Model.Model} as run {run}: live inputs of {serving} drifted ({what})";
        actions.Add(new MonitorAction.StartRetrain(run));
        actions.Add(new MonitorAction.Tell(ModelEventKind.RetrainStarted, serving, message));
        return new(next with { Phase = ModelPhases.Retraining, RetrainRun = run, RetrainStartedAt = facts.Now, RetrainReason = $"drift in {what}" }, actions, message);
    }

    private static MonitorDecision Retraining(ModelMonitorState state, MonitorFacts facts)
    {
        var policy = facts.Model.Policy;
        if (facts.RetrainRun is not { } run)
            return new(state, [], $"waiting for retraining run {state.RetrainRun} to start");
        switch (run.Status)
        {
            case WorkflowStatus.Running:
                return new(state, [], $"retraining run {run.RunId}: {run.Tasks.Count(t => t.Status == TaskRunStatus.Succeeded)} of {run.Tasks.Length} task(s) done");
            case WorkflowStatus.Succeeded when run.Tasks.FirstOrDefault(t => t.Id == policy.TrainTask)?.ResultRef is { Length: > 0 } card:
                return new(state with { Phase = ModelPhases.Watching }, [new MonitorAction.RegisterCandidate(card, run.RunId)], $"retraining run {run.RunId} succeeded: registering {card}");
            default:
                var failed = run.Tasks.FirstOrDefault(t => t.Status == TaskRunStatus.DeadLettered);
                var why = run.Status == WorkflowStatus.Succeeded ? $"its task '{policy.TrainTask}' left no model card"
                    : failed is null ? $"it ended {run.Status.ToString().ToLowerInvariant()}"
                    : $"task {failed.Id} failed ({failed.ErrorKind}: {failed.Error})";
                var message = $"retraining run {run.RunId} failed: {why}";
                return new(state with { Phase = ModelPhases.Watching }, [new MonitorAction.Tell(ModelEventKind.RetrainFailed, null, message)], message);
        }
    }

    private static MonitorDecision RollingOut(ModelMonitorState state, MonitorFacts facts)
    {
        var policy = facts.Model.Policy;
        var candidate = state.Candidate ?? "";
        if (facts.CandidateRollout is not { } rollout)
        {
            if (facts.Deployment?.Queued?.Version == candidate)
                return new(state, [], $"the rollout of {candidate} waits in the release queue");
            var message = $"the rollout of {candidate} never started";
            return new(state with { Phase = ModelPhases.Watching, Candidate = null, RolloutId = null }, [new MonitorAction.Tell(ModelEventKind.RolledBack, candidate, message)], message);
        }
        switch (rollout.Status)
        {
            case RolloutStatus.Succeeded:
            {
                var message = $"{candidate} rolled out to all traffic: now champion";
                return new(state with { Phase = ModelPhases.Watching, LastGood = candidate, Candidate = null, RolloutId = null },
                    [new MonitorAction.SetChampion(candidate, message), new MonitorAction.Tell(ModelEventKind.Promoted, candidate, message)], message);
            }
            case RolloutStatus.RolledBack or RolloutStatus.Aborted:
            {
                var why = rollout.Transitions.LastOrDefault()?.Message ?? rollout.Status.ToString();
                var message = $"{candidate} did not go out: {why}";
                return new(state with { Phase = ModelPhases.Watching, Candidate = null, RolloutId = null },
                    [new MonitorAction.Tell(ModelEventKind.RolledBack, candidate, message)], message);
            }
        }
        var phase = rollout.Weight == 0 && rollout.Policy.HasShadowStage ? ModelPhases.Shadow : ModelPhases.Canary;
        var next = state with { Phase = phase };
        var live = facts.Telemetry.Find(candidate);
        var agreement = live?.Agreement ?? new AgreementFigures();
        if (phase == ModelPhases.Shadow && agreement.Compared >= policy.MinLabels && agreement.Rate < policy.MinAgreement)
            return Abort(next, $"{candidate} agreed with {rollout.StableVersion} on {Percent(agreement.Rate)} of {agreement.Compared} shadowed requests, below {Percent(policy.MinAgreement)}");

        var quality = live?.Quality ?? new QualityFigures();
        var serving = facts.Telemetry.Find(rollout.StableVersion)?.Quality ?? new QualityFigures();
        if (quality.Labels >= policy.MinLabels)
        {
            if (policy.QualityFloor is { } floor && quality.Value < floor)
                return Abort(next, $"{candidate} live {Quality(quality)} is below the floor {Figure(floor)}");
            if (serving.Labels >= policy.MinLabels && serving.Value - quality.Value > policy.Margin)
                return Abort(next, $"{candidate} live {Quality(quality)} is worse than {rollout.StableVersion}'s {Figure(serving.Value)} by more than the margin {Figure(policy.Margin)}");
        }
        return new(next, [], $"{candidate} {(phase == ModelPhases.Shadow ? "shadowing" : $"canary at {rollout.Weight} %")}: "
            + (phase == ModelPhases.Shadow ? $"agreement {Percent(agreement.Rate)} of {agreement.Compared}, " : "")
            + $"live {Quality(quality)}");
    }

    private static MonitorDecision Challenging(ModelMonitorState state, MonitorFacts facts)
    {
        var policy = facts.Model.Policy;
        var challenger = state.Candidate ?? "";
        var champion = facts.Deployment?.StableVersion ?? "";
        var c = facts.Telemetry.Find(challenger)?.Quality ?? new QualityFigures();
        var s = facts.Telemetry.Find(champion)?.Quality ?? new QualityFigures();
        if (facts.Deployment is not { Split.Length: > 0 })
        {
            var message = $"the split of {champion} and {challenger} was ended by hand";
            return new(state with { Phase = ModelPhases.Watching, Candidate = null }, [new MonitorAction.Tell(ModelEventKind.RolledBack, challenger, message)], message);
        }
        if (c.Labels < policy.MinLabels || s.Labels < policy.MinLabels)
            return new(state, [], $"challenger {challenger} {Quality(c)} vs champion {champion} {Quality(s)}: {policy.MinLabels} labels each needed");
        if (policy.QualityFloor is { } floor && c.Value < floor)
            return EndChallenge(state, false, $"challenger {challenger} live {Quality(c)} is below the floor {Figure(floor)}");
        if (c.Value - s.Value >= policy.Margin)
            return EndChallenge(state, true, $"challenger {challenger} ({Quality(c)}) beats champion {champion} ({Quality(s)}) by at least {Figure(policy.Margin)}");
        if (s.Value - c.Value >= policy.Margin)
            return EndChallenge(state, false, $"champion {champion} ({Quality(s)}) beats challenger {challenger} ({Quality(c)}) by at least {Figure(policy.Margin)}");
        return new(state, [], $"challenger {challenger} {Quality(c)} vs champion {champion} {Quality(s)}: within the margin {Figure(policy.Margin)}, the split goes on");
    }

    private static MonitorDecision Abort(ModelMonitorState state, string reason) =>
        new(state, [new MonitorAction.AbortCandidate(reason)], reason);

    private static MonitorDecision EndChallenge(ModelMonitorState state, bool won, string reason)
    {
        var challenger = state.Candidate!;
        var next = state with { Phase = ModelPhases.Watching, Candidate = null, LastGood = won ? challenger : state.LastGood };
        return new(next, won
            ? [new MonitorAction.EndChallenge(challenger, true, reason), new MonitorAction.SetChampion(challenger, reason), new MonitorAction.Tell(ModelEventKind.Promoted, challenger, reason)]
            : [new MonitorAction.EndChallenge(challenger, false, reason), new MonitorAction.Tell(ModelEventKind.RolledBack, challenger, reason)], reason);
    }

    private static string Describe(IEnumerable<FeatureDrift> features) =>
        string.Join(", ", features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Feature} PSI {f.Psi:0.00} ({f.Band}), {f.Test} p {f.PValue:0.####}")));

    private static string Quality(QualityFigures q) =>
        q.Labels == 0 ? "quality unknown (no labels yet)" : string.Create(CultureInfo.InvariantCulture, $"{q.Metric} {q.Value:0.###} over {q.Labels} labels");

    private static string Figure(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}

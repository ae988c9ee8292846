using Aviary.Workflows;

namespace Aviary.Grains.Agents;

public sealed partial class AgentPoolGrain
{
    /// <summary>How long counted work may wait before the totals are written: a write per batch would cost more than the work.</summary>
    private static readonly TimeSpan TotalsWriteDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _totalsTimer;
    private bool _totalsDirty;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        AviaryGauges.Pool(Kind, null);
        if (_totalsDirty)
            await WriteTotalsAsync();
    }

    /// <summary>Successes and failures among the answers a run is told.</summary>
    private void Count(IReadOnlyCollection<CompletedWork> answers)
    {
        if (answers.Count == 0)
            return;
        foreach (var answer in answers)
        {
            if (answer.Outcome.Succeeded)
                totals.State.Succeeded++;
            else
                totals.State.Failed++;
        }
        TotalsChanged();
    }

    /// <summary>What the work cost, answered or not (an attempt given up on at its deadline still ran).</summary>
    private void CountUse(IReadOnlyCollection<CompletedWork> work)
    {
        foreach (var done in work)
            totals.State.Use = totals.State.Use.Plus(done.Outcome.Use);
        TotalsChanged();
    }

    private void CountCacheHit()
    {
        totals.State.CacheHits++;
        TotalsChanged();
    }

    /// <summary>The totals changed: written within <see cref="TotalsWriteDelay"/>, together with whatever else changes meanwhile.</summary>
    private void TotalsChanged()
    {
        _totalsDirty = true;
        _totalsTimer ??= this.RegisterGrainTimer(_ => WriteTotalsAsync(), new GrainTimerCreationOptions(TotalsWriteDelay, TotalsWriteDelay)
        {
            Interleave = false,
            KeepAlive = true,
        });
    }

    /// <summary>Writes the totals if they changed; a failed write is logged and tried again on the next tick (the counts stay in memory).</summary>
    private async Task WriteTotalsAsync()
    {
        if (!_totalsDirty)
        {
            _totalsTimer?.Dispose();
            _totalsTimer = null;
            return;
        }
        try
        {
            _totalsDirty = false;
            await totals.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _totalsDirty = true;
            LogTotalsWriteFailed(logger, ex, Kind);
        }
    }
}

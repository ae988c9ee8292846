using System.Threading.Channels;
using Aviary.Client.Api;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Metrics;
using Aviary.Rollouts;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// Follows one rollout until it ends: its events from the API's live feed as they happen, plus a
/// refresh of the rollout and its windows every second for the countdowns. A feed that broke
/// (a silo went away) loses what it had not sent, so each refresh also prints, from the
/// rollout's stored transitions, any the feed did not bring: a log shows every stage however the
/// cluster fared.
/// Exit code 0 when it succeeded, 3 when it rolled back or was aborted.
/// </summary>
public static class RolloutWatcher
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>How long a stored transition waits for its event before the refresh prints it instead.</summary>
    private static readonly TimeSpan EventGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> WatchAsync(CommandContext context, string rolloutId, CancellationToken cancellationToken)
    {
        var rollouts = context.Rollouts;
        var view = await rollouts.GetRolloutAsync(rolloutId, cancellationToken);
        // Transitions from here on are shown, from the feed or the stored rollout: those made while
        // the feed opened too (a short rollout can end before it has).
        var transitions = new TransitionLog(view);
        var live = !context.Output.Json && context.Console.Profile.Capabilities.Interactive;

        // The live feed of the service's rollout events; the stored rollout is read again every
        // second (and so after any reconnect), and it is what decides what is shown.
        await using var feed = await EventFeed.OpenAsync(context.Api, $"kind=rollout&service={Uri.EscapeDataString(view.Service)}", cancellationToken);
        var events = Channel.CreateUnbounded<RolloutEvent>();
        using var pump = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumping = PumpAsync(feed, rolloutId, events.Writer, pump.Token);
        try
        {
            view = await rollouts.GetRolloutAsync(rolloutId, cancellationToken); // anything that happened before the feed opened
            if (live)
            {
                await context.Console.Live(RolloutRenderer.Panel(view, null, null)).StartAsync(async display =>
                {
                    view = await FollowAsync(rollouts, view, transitions, events.Reader, async (current, canary, stable, _) =>
                    {
                        display.UpdateTarget(RolloutRenderer.Panel(current, canary, stable));
                        await Task.CompletedTask;
                    }, cancellationToken);
                });
            }
            else
            {
                if (!context.Output.Json)
                    context.Output.Line($"watching {view.RolloutId}: {view.Service} {view.StableVersion} → {view.Version}, {view.Status} at {view.Weight} %");
                view = await FollowAsync(rollouts, view, transitions, events.Reader, (_, _, _, e) =>
                {
                    if (e is null)
                        return Task.CompletedTask;
                    if (context.Output.Json)
                        context.Output.WriteJson(e);
                    else
                        context.Output.Line(RolloutRenderer.EventLine(e));
                    return Task.CompletedTask;
                }, cancellationToken);
            }
        }
        finally
        {
            await pump.CancelAsync();
            await pumping;
        }

        if (!live) // the live panel already shows how it ended
            context.Output.Write(view, c => RolloutRenderer.Summary(c, view));
        return view.Status == RolloutStatus.Succeeded ? ExitCodes.Ok : ExitCodes.RolloutFailed;
    }

    /// <summary>The feed's changes of this rollout, as rollout events (snapshots and notices are left to the stored state).</summary>
    private static async Task PumpAsync(EventFeed feed, string rolloutId, ChannelWriter<RolloutEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in feed.Messages.ReadAllAsync(cancellationToken))
            {
                if (message.Kind != "rollout" || message.Type == "snapshot")
                    continue;
                var e = message.As<RolloutEvent>();
                if (e.RolloutId == rolloutId)
                    events.TryWrite(e);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private static async Task<RolloutView> FollowAsync(
        RolloutClient rollouts, RolloutView view, TransitionLog transitions, ChannelReader<RolloutEvent> events,
        Func<RolloutView, MetricsSnapshot, MetricsSnapshot, RolloutEvent?, Task> show, CancellationToken cancellationToken)
    {
        while (true)
        {
            var window = view.Policy.CheckInterval;
            var current = view;
            var comparison = await TransientCalls.RunAsync(ct => rollouts.CompareAsync(current.Service, current.Version, current.StableVersion, window, ct), cancellationToken);
            var (canary, stable) = (comparison.Canary, comparison.Stable);
            await show(view, canary, stable, null);
            if (view.Status.IsFinal())
            {
                await LiveEvents.DrainUntilFinalAsync(events, e => transitions.Shows(e) ? show(view, canary, stable, e) : Task.CompletedTask,
                    e => e.Kind is RolloutEventKind.Succeeded or RolloutEventKind.RolledBack or RolloutEventKind.Aborted, cancellationToken);
                foreach (var missed in transitions.Missed(view, DateTimeOffset.MaxValue))
                    await show(view, canary, stable, missed);
                return view;
            }

            // Events as they come, or after a quiet second a refresh of the countdowns.
            if (await LiveEvents.WaitAsync(events, Refresh, cancellationToken))
            {
                while (events.TryRead(out var e))
                {
                    if (transitions.Shows(e))
                        await show(view, canary, stable, e);
                }
            }
            view = await TransientCalls.RunAsync(ct => rollouts.GetRolloutAsync(current.RolloutId, ct), cancellationToken);
            foreach (var missed in transitions.Missed(view, view.Now - EventGrace))
                await show(view, canary, stable, missed);
        }
    }
}

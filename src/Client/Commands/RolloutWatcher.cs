using System.Threading.Channels;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Metrics;
using Aviary.Rollouts;
using Orleans.Runtime;
using Orleans.Streams;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// Follows one rollout until it ends: events from the rollout-events stream as they happen, plus
/// a refresh of the rollout and its windows every second for the countdowns. Memory streams drop
/// what a dying silo had not delivered, so each refresh also prints, from the rollout's stored
/// transitions, any the stream did not bring: a log shows every stage however the cluster fared.
/// Exit code 0 when it succeeded, 3 when it rolled back or was aborted.
/// </summary>
public static class RolloutWatcher
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>How long a stored transition waits for its event before the refresh prints it instead.</summary>
    private static readonly TimeSpan EventGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> WatchAsync(CommandContext context, string rolloutId, CancellationToken cancellationToken)
    {
        var client = await context.ClientAsync(cancellationToken);
        var rollout = client.GetGrain<IRolloutGrain>(rolloutId);
        var view = await rollout.GetAsync();

        var events = Channel.CreateUnbounded<RolloutEvent>();
        var stream = client.GetStreamProvider(Names.StreamProvider)
            .GetStream<RolloutEvent>(StreamId.Create(Names.RolloutEvents, Names.RolloutEventsKey(view.Service)));
        var live = !context.Output.Json && context.Console.Profile.Capabilities.Interactive;
        var handle = await stream.SubscribeAsync((e, _) =>
        {
            if (e.RolloutId == rolloutId)
                events.Writer.TryWrite(e);
            return Task.CompletedTask;
        });
        try
        {
            view = await rollout.GetAsync(); // anything that happened before the subscription
            if (live)
            {
                await context.Console.Live(RolloutRenderer.Panel(view, null, null)).StartAsync(async display =>
                {
                    view = await FollowAsync(client, rollout, view, events.Reader, async (current, canary, stable, _) =>
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
                view = await FollowAsync(client, rollout, view, events.Reader, (_, _, _, e) =>
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
            try
            {
                await handle.UnsubscribeAsync();
            }
            catch (Exception ex) when (TransientCalls.IsTransient(ex))
            {
                // The subscription's silo went away; the cluster forgets it with the client.
            }
        }

        if (!live) // the live panel already shows how it ended
            context.Output.Write(view, c => RolloutRenderer.Summary(c, view));
        return view.Status == RolloutStatus.Succeeded ? ExitCodes.Ok : ExitCodes.RolloutFailed;
    }

    private static async Task<RolloutView> FollowAsync(
        IClusterClient client, IRolloutGrain rollout, RolloutView view, ChannelReader<RolloutEvent> events,
        Func<RolloutView, MetricsSnapshot, MetricsSnapshot, RolloutEvent?, Task> show, CancellationToken cancellationToken)
    {
        var metrics = client.GetGrain<IServiceMetricsGrain>(view.Service);
        var transitions = new TransitionLog(view);
        while (true)
        {
            var window = view.Policy.CheckInterval;
            var (canary, stable) = await TransientCalls.RunAsync(_ => metrics.CompareAsync(view.Version, view.StableVersion, window), cancellationToken);
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
            view = await TransientCalls.RunAsync(_ => rollout.GetAsync(), cancellationToken);
            foreach (var missed in transitions.Missed(view, view.Now - EventGrace))
                await show(view, canary, stable, missed);
        }
    }
}

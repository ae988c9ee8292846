using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Harness;

/// <summary>
/// While a failover test runs: feeds healthy traffic to both versions and polls the rollout every
/// 100 ms, remembering every verdict time it saw (the view keeps only the last five), so the test
/// can tell when checks stopped and when they resumed. A call sent to a silo just before it died
/// can hang until Orleans' response timeout (30 s): each call gets a second, then is abandoned and
/// the next tick sends a fresh one, which the cluster routes to the grain's new home.
/// </summary>
public sealed class RolloutRecorder : IAsyncDisposable
{
    private static readonly TimeSpan CallPatience = TimeSpan.FromSeconds(1);

    private readonly IClusterClient _client;
    private readonly string _service;
    private readonly string _rolloutId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _feeding;
    private readonly Task _polling;
    private readonly SortedSet<DateTimeOffset> _verdicts = [];
    private RolloutView? _latest;

    public RolloutRecorder(IClusterClient client, string service, string rolloutId)
    {
        _client = client;
        _service = service;
        _rolloutId = rolloutId;
        _feeding = FeedAsync(_stop.Token);
        _polling = PollAsync(_stop.Token);
    }

    public RolloutView? Latest
    {
        get
        {
            lock (_verdicts)
                return _latest;
        }
    }

    public DateTimeOffset[] VerdictTimes
    {
        get
        {
            lock (_verdicts)
                return [.. _verdicts];
        }
    }

    /// <summary>Waits (polling, at most <paramref name="timeout"/>) for a view that satisfies <paramref name="condition"/>.</summary>
    public async Task<RolloutView> WaitForAsync(Func<RolloutView, bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Latest is { } view && condition(view))
                return view;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s; last view: {Describe(Latest)}");
            }
        }
    }

    public static string Describe(RolloutView? view) => view is null
        ? "none"
        : $"{view.Status} at stage {view.StageIndex + 1} ({view.Weight} %), transitions: {string.Join(", ", view.Transitions.Select(t => $"{t.Kind}@{t.StageIndex}"))}";

    private async Task FeedAsync(CancellationToken cancellationToken)
    {
        var batch = SampleBatch.From(Enumerable.Range(0, 20).Select(i => new Sample(true, 20 + i)).ToArray());
        var metrics = _client.GetGrain<IServiceMetricsGrain>(_service);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await metrics.RecordAsync("v1", batch).WaitAsync(CallPatience, cancellationToken);
                await metrics.RecordAsync("v2", batch).WaitAsync(CallPatience, cancellationToken);
            }
            catch (Exception)
            {
                // Stopping (a call cut short by the stop), or a silo just died: the next tick tries again.
                if (cancellationToken.IsCancellationRequested)
                    return;
            }
            await Tick(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var rollout = _client.GetGrain<IRolloutGrain>(_rolloutId);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var view = await rollout.GetAsync().WaitAsync(CallPatience, cancellationToken);
                lock (_verdicts)
                {
                    _latest = view;
                    foreach (var verdict in view.Verdicts)
                        _verdicts.Add(verdict.At);
                }
            }
            catch (Exception)
            {
                // As above.
                if (cancellationToken.IsCancellationRequested)
                    return;
            }
            await Tick(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task Tick(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(period, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_feeding, _polling);
        _stop.Dispose();
    }
}

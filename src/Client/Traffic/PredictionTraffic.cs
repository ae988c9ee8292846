using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Agents.Data;
using Aviary.Client.Api;

namespace Aviary.Client.Traffic;

/// <summary>
/// Live requests to a model through the gateway, as its users would send them: rows of a labelled
/// dataset posted to <c>/predict</c> at a steady rate (the features only), and each row's true
/// value sent back later as feedback, joined by the request id of its answer. The rows can be
/// switched while it runs (the world shifts).
/// </summary>
public sealed class PredictionTraffic(HttpClient gateway, string host, ModelClient models, string model, string target, IReadOnlyCollection<string> labelColumns)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _byVersion = new(StringComparer.Ordinal);
    private readonly List<(string RequestId, double Truth)> _labels = [];
    private Dataset? _rows;
    private long _next, _failed, _labelled, _unmatched;

    /// <summary>How long labels take to "arrive" after the answer: longer than a model server takes to report its predictions.</summary>
    public TimeSpan LabelDelay { get; init; } = TimeSpan.FromSeconds(3);

    public long Failed => Interlocked.Read(ref _failed);

    public long Labelled => Interlocked.Read(ref _labelled);

    /// <summary>Labels the cluster had no prediction for any more (dropped).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    /// <summary>Requests answered, by the version that answered (the gateway's x-aviary-version).</summary>
    public IReadOnlyDictionary<string, long> ByVersion
    {
        get
        {
            lock (_gate)
                return new Dictionary<string, long>(_byVersion);
        }
    }

    /// <summary>From now on, requests are drawn from <paramref name="rows"/>.</summary>
    public void Use(Dataset rows) => Volatile.Write(ref _rows, rows);

    public async Task RunAsync(int requestsPerSecond, CancellationToken cancellationToken)
    {
        var labels = SendLabelsAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        for (long i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var ahead = (double)i / requestsPerSecond - Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (ahead > 0.001)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            inFlight.Add(PredictAsync(cancellationToken));
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        await labels;
    }

    private async Task PredictAsync(CancellationToken cancellationToken)
    {
        var rows = Volatile.Read(ref _rows) ?? throw new InvalidOperationException("no rows to send: call Use first");
        var row = rows.Rows[(int)(Interlocked.Increment(ref _next) % rows.Rows.Count)];
        var features = new Dictionary<string, object?>(StringComparer.Ordinal);
        double truth = 0;
        for (var c = 0; c < rows.Columns.Count; c++)
        {
            var name = rows.Columns[c];
            var cell = row[c];
            if (string.Equals(name, target, StringComparison.OrdinalIgnoreCase))
                truth = cell is "true" ? 1 : cell is "false" ? 0 : double.Parse(cell!, CultureInfo.InvariantCulture);
            else if (!labelColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
                features[name] = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : cell;
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { features }) };
            request.Headers.Host = host;
            using var response = await gateway.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
                return;
            }
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var id = body.RootElement.GetProperty("requestId").GetString()!;
            var version = response.Headers.TryGetValues("x-aviary-version", out var values) ? values.First() : "?";
            lock (_gate)
            {
                _byVersion[version] = _byVersion.GetValueOrDefault(version) + 1;
                _labels.Add((id, truth));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            if (!cancellationToken.IsCancellationRequested)
                Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>
    /// Every second, the labels of answers older than the delay go back in batches. A batch naming
    /// a request the cluster no longer holds is refused whole, naming it: that one is dropped
    /// (counted) and the rest sent again.
    /// </summary>
    private async Task SendLabelsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var waiting = new Queue<(DateTimeOffset At, string RequestId, double Truth)>();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_gate)
                {
                    foreach (var (id, truth) in _labels)
                        waiting.Enqueue((DateTimeOffset.UtcNow, id, truth));
                    _labels.Clear();
                }
                var due = new List<(string RequestId, double Truth)>();
                while (waiting.TryPeek(out var first) && DateTimeOffset.UtcNow - first.At >= LabelDelay && due.Count < ModelFeedbackBatch)
                {
                    waiting.Dequeue();
                    due.Add((first.RequestId, first.Truth));
                }
                while (due.Count > 0)
                {
                    try
                    {
                        await models.FeedbackAsync(model, new { labels = due.Select(l => new { requestId = l.RequestId, value = l.Truth }) }, cancellationToken);
                        Interlocked.Add(ref _labelled, due.Count);
                        break;
                    }
                    catch (Errors.AviaryNotFoundException ex) when (Index(ex.Field) is { } bad && bad < due.Count)
                    {
                        due.RemoveAt(bad);
                        Interlocked.Increment(ref _unmatched);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The index in a field such as <c>labels[12].requestId</c>.</summary>
    private static int? Index(string field) =>
        field.StartsWith("labels[", StringComparison.Ordinal) && int.TryParse(field.AsSpan(7, field.IndexOf(']') - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    private const int ModelFeedbackBatch = 5_000;
}

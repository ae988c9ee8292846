using Aviary.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aviary.Gateway;

/// <summary>
/// Sends the measured outcomes to each service's metrics grain every
/// <see cref="AviaryGatewayOptions.FlushInterval"/>: one call per version per flush, never one per
/// request. What the cluster does not take is kept for the next flush (within the recorder's bound).
/// </summary>
public sealed partial class OutcomeFlusher(
    IGrainFactory grains,
    OutcomeRecorder outcomes,
    AviaryGatewayOptions options,
    TimeProvider time,
    ILogger<OutcomeFlusher> logger) : BackgroundService
{
    /// <summary>Samples per grain call: a quarter of a megabyte.</summary>
    public const int MaxSamplesPerCall = 65_536;

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last flush below still runs.
        }
        await FlushAsync();
    }

    public async Task FlushAsync()
    {
        var taken = outcomes.Take();
        if (taken.Count == 0)
            return;
        var sends = taken.Select(t => SendAsync(t.Version, t.Packed));
        var failures = (await Task.WhenAll(sends)).Count(ok => !ok);
        if (failures > 0 != _failing)
        {
            _failing = failures > 0;
            if (_failing)
                LogFlushFailing(logger, outcomes.Pending);
            else
                LogFlushRecovered(logger);
        }
    }

    private async Task<bool> SendAsync(OutcomeRecorder.VersionOutcomes version, byte[] packed)
    {
        var grain = grains.GetGrain<IServiceMetricsGrain>(version.Service);
        var step = MaxSamplesPerCall * 4;
        for (var offset = 0; offset < packed.Length; offset += step)
        {
            var chunk = packed.AsSpan(offset, Math.Min(step, packed.Length - offset)).ToArray();
            try
            {
                await grain.RecordAsync(version.Version, new SampleBatch(chunk));
            }
            catch (Exception ex)
            {
                LogSendFailed(logger, ex, version.Service, version.Version);
                OutcomeRecorder.Return(version, packed[offset..]);
                return false;
            }
            outcomes.Delivered(chunk.Length / 4);
        }
        return true;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Outcomes cannot reach the cluster; {Pending} are held for the next flush")]
    private static partial void LogFlushFailing(ILogger logger, long pending);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Outcomes reach the cluster again")]
    private static partial void LogFlushRecovered(ILogger logger);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Outcomes of service {Service} version {Version} not delivered")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string service, string version);
}

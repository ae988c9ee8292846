namespace Aviary.Bench;

/// <summary>How <see cref="HangfireBench"/> sets Hangfire up and how often it runs each shape.</summary>
public sealed class HangfireBenchOptions
{
    /// <summary>
    /// Worker threads of the in-process <c>BackgroundJobServer</c>. Default
    /// <c>Environment.ProcessorCount * 5</c>, Hangfire's own default below its cap (10 on 2 cores).
    /// </summary>
    public int WorkerCount { get; init; } = Environment.ProcessorCount * 5;

    /// <summary>
    /// How long an idle worker waits before it looks at the queue again: Hangfire.Storage.SQLite
    /// only polls (no in-process wake-up on enqueue), so every chain step waits for a worker's
    /// next look. Default 10 ms; the storage's own default, 15 s, would be most of every figure.
    /// </summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Runs of W1 (10,000 jobs + a join). Default 1: one run takes 80–115 s on 2 cores (four
    /// runs on different occasions: 81, 86, 87, 115 s), and the section should stay under five minutes.
    /// </summary>
    public int FanOutRuns { get; init; } = 1;

    /// <summary>Runs of W2 (a chain of 1,000). Default 3: one run is about 17 s.</summary>
    public int ChainRuns { get; init; } = 3;

    /// <summary>Runs of W3 (1,000 chains of 5). Default 1: one run is about 90 s.</summary>
    public int ManyRuns { get; init; } = 1;
}

namespace Aviary.Bench;

/// <summary>
/// What one disk can durably commit, one 4 KB append at a time: the ceiling any store that
/// fsyncs each write, one writer, no group commit, cannot pass on that disk.
/// </summary>
/// <param name="Directory">Where the file was, so the figure names its disk.</param>
/// <param name="Fsyncs">How many append + fsync rounds the measured interval held.</param>
/// <param name="Elapsed">The measured interval (the warm-up excluded).</param>
/// <param name="Median">Median latency of one fsync (the append's write not included).</param>
/// <param name="P99">99th percentile latency of one fsync.</param>
public sealed record FsyncResult(string Directory, int Fsyncs, TimeSpan Elapsed, TimeSpan Median, TimeSpan P99)
{
    public double PerSecond => Fsyncs / Elapsed.TotalSeconds;
}

namespace Aviary.DemoUpstream;

/// <summary>Requests answered and failed, counted as they are answered.</summary>
public sealed class UpstreamStats
{
    /// <summary>Marks the service's own warm-up requests, which are not counted.</summary>
    public const string WarmUpHeader = "x-demo-warm-up";

    private long _served;
    private long _failed;

    public void Count(bool failed)
    {
        Interlocked.Increment(ref _served);
        if (failed)
            Interlocked.Increment(ref _failed);
    }

    public object Read(string version) => new { version, served = Interlocked.Read(ref _served), failed = Interlocked.Read(ref _failed) };
}

namespace Aviary.Metrics;

/// <summary>
/// Where a shadow version's comparisons are kept in its service's metrics: a series beside the
/// version's own, each sample one mirrored request, "ok" when the copy answered like stable
/// (same status class, same body), its latency the difference between the two.
/// </summary>
public static class MirrorSeries
{
    public const string Suffix = "+mismatch";

    public static string Of(string version) => version + Suffix;
}

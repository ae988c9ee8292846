namespace Aviary.Gateway.Routing;

/// <summary>
/// A request's place among <see cref="Count"/> buckets, from its service and stickiness key. The
/// same key always lands in the same bucket, in every gateway and every version of it, so a user
/// who reached the canary at 10 % keeps reaching it at 25 %.
/// </summary>
public static class StickyBucket
{
    public const int Count = 10_000;

    public static int Of(string service, string key)
    {
        // FNV-1a over the service, a separator and the key, then MurmurHash3's finaliser: FNV alone
        // leaves the low digits of similar keys (user-1, user-2, …) correlated.
        var hash = 2166136261u;
        foreach (var c in service)
            hash = (hash ^ c) * 16777619u;
        hash = (hash ^ 0x1F) * 16777619u;
        foreach (var c in key)
            hash = (hash ^ c) * 16777619u;
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return (int)(hash % Count);
    }
}

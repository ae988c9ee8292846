namespace Aviary;

/// <summary>FNV-1a of a string: the same in every process and version, unlike <see cref="string.GetHashCode()"/>, so it can pick partitions.</summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return hash;
    }
}

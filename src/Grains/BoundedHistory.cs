namespace Aviary.Grains;

/// <summary>Histories kept in grain state stay bounded: appending past the limit drops the oldest.</summary>
public static class BoundedHistory
{
    public static T[] Append<T>(T[] items, T item, int max) =>
        [.. items.Skip(Math.Max(0, items.Length + 1 - max)), item];
}

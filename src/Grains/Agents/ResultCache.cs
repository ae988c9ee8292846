using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Aviary.Grains.Agents;

/// <summary>
/// Results of successful attempts keyed by a SHA-256 of agent kind, agent version and input
/// (keys sorted), least recently used dropped first: identical work is not done twice.
/// </summary>
public sealed class ResultCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, string? Result)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, string? Result)> _order = new();

    public int Count => _entries.Count;

    public static string KeyOf(string kind, string version, IReadOnlyDictionary<string, string> input, string scope = "")
    {
        // kind \n version \n len:scope \n then "len:key=len:value\n" per entry, keys in ordinal order,
        // hashed from rented buffers: this runs for every task, so no intermediate string or byte array.
        var keys = new string[input.Count];
        var count = 0;
        foreach (var key in input.Keys)
            keys[count++] = key;
        Array.Sort(keys, StringComparer.Ordinal);
        var text = new StringBuilder(64).Append(kind).Append('\n').Append(version).Append('\n')
            .Append(scope.Length).Append(':').Append(scope).Append('\n');
        foreach (var key in keys)
        {
            var value = input[key];
            text.Append(key.Length).Append(':').Append(key).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
        }
        var chars = text.Length;
        var buffer = ArrayPool<char>.Shared.Rent(chars);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars));
        try
        {
            text.CopyTo(0, buffer, chars);
            var length = Encoding.UTF8.GetBytes(buffer, 0, chars, bytes, 0);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public bool TryGet(string key, out string? result)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            result = node.Value.Result;
            return true;
        }
        result = null;
        return false;
    }

    public void Add(string key, string? result)
    {
        if (_entries.TryGetValue(key, out var existing))
            _order.Remove(existing);
        var node = _order.AddFirst((key, result));
        _entries[key] = node;
        while (_entries.Count > capacity && _order.Last is { } last)
        {
            _order.RemoveLast();
            _entries.Remove(last.Value.Key);
        }
    }
}

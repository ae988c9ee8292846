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

    public static string KeyOf(string kind, string version, IReadOnlyDictionary<string, string> input)
    {
        var text = new StringBuilder().Append(kind).Append('\n').Append(version).Append('\n');
        foreach (var (key, value) in input.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append(key.Length).Append(':').Append(key).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
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

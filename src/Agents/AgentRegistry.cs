namespace Aviary.Agents;

/// <summary>The executors this process can run, by kind.</summary>
public sealed class AgentRegistry(IEnumerable<IAgentExecutor> executors)
{
    private readonly Dictionary<string, IAgentExecutor> _byKind = executors.ToDictionary(e => e.Kind, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    public bool TryGet(string kind, out IAgentExecutor executor) => _byKind.TryGetValue(kind, out executor!);
}

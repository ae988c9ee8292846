namespace Aviary.Workflows;

/// <summary>
/// Depth-first search over a dependency graph (node i depends on edges(i)), in node order. Every
/// back edge — one that reaches a node still on the path — closes a cycle; removing all of them
/// leaves a DAG.
/// </summary>
public static class DependencyCycles
{
    /// <summary>A back edge and the cycle it closes: the path from <see cref="To"/> to <see cref="From"/>, then <see cref="To"/> again.</summary>
    public sealed record BackEdge(int From, int To, IReadOnlyList<int> Cycle);

    public static IEnumerable<BackEdge> Find(int count, Func<int, IReadOnlyList<int>> edges)
    {
        var state = new byte[count]; // 0 unseen, 1 on the path, 2 done
        var path = new List<int>();
        for (var root = 0; root < count; root++)
        {
            if (state[root] != 0)
                continue;
            var frames = new Stack<(int Node, int Next)>();
            frames.Push((root, 0));
            state[root] = 1;
            path.Add(root);
            while (frames.Count > 0)
            {
                var (node, next) = frames.Pop();
                var deps = edges(node);
                if (next >= deps.Count)
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                frames.Push((node, next + 1));
                var dep = deps[next];
                if (state[dep] == 1)
                {
                    yield return new BackEdge(node, dep, [.. path.Skip(path.IndexOf(dep)), dep]);
                }
                else if (state[dep] == 0)
                {
                    state[dep] = 1;
                    path.Add(dep);
                    frames.Push((dep, 0));
                }
            }
        }
    }
}

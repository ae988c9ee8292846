using Aviary.Rollouts;

namespace Aviary.Client.Commands;

/// <summary>Which stage transitions were shown, by kind and time, so that one the stream lost is shown from the stored state, and none twice.</summary>
public sealed class TransitionLog(RolloutView start)
{
    private readonly HashSet<(RolloutEventKind, DateTimeOffset)> _before = [.. start.Transitions.Select(t => (t.Kind, t.At))];
    private readonly HashSet<(RolloutEventKind, DateTimeOffset)> _shown = [];

    /// <summary>False for a transition already shown from the stored state.</summary>
    public bool Shows(RolloutEvent e) => e.Kind == RolloutEventKind.CheckCompleted || _shown.Add((e.Kind, e.At));

    /// <summary>Transitions since the watch began, older than <paramref name="olderThan"/>, that no event showed.</summary>
    public IEnumerable<RolloutEvent> Missed(RolloutView view, DateTimeOffset olderThan)
    {
        foreach (var t in view.Transitions)
        {
            if (t.At >= olderThan || _before.Contains((t.Kind, t.At)) || !_shown.Add((t.Kind, t.At)))
                continue;
            yield return new RolloutEvent
            {
                RolloutId = view.RolloutId,
                Service = view.Service,
                Version = view.Version,
                Kind = t.Kind,
                Status = t.Status,
                StageIndex = t.StageIndex,
                Weight = view.Policy.WeightAt(t.Status, t.StageIndex),
                At = t.At,
                Message = t.Message,
            };
        }
    }
}

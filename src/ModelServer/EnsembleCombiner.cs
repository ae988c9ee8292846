using Aviary.Agents.Models;

namespace Aviary.ModelServer;

/// <summary>
/// One answer from an ensemble's members. <c>mean</c>: the mean of their predictions, and for a
/// binary model the label of that mean probability. <c>vote</c>: the majority label (a tie goes to
/// the mean probability), the prediction being the share of members voting for the positive class.
/// </summary>
public static class EnsembleCombiner
{
    public static ModelOutput Combine(string combine, string task, IReadOnlyList<ModelOutput> members)
    {
        var mean = members.Average(m => m.Value);
        if (task != ModelTasks.Binary)
            return new ModelOutput(mean, null);
        if (combine != "vote")
            return new ModelOutput(mean, Label(mean >= 0.5));
        var positive = members.Count(m => m.Label == ModelTasks.PositiveLabel);
        var share = (double)positive / members.Count;
        return new ModelOutput(share, Label(share > 0.5 || (share == 0.5 && mean >= 0.5)));
    }

    private static string Label(bool positive) => positive ? ModelTasks.PositiveLabel : ModelTasks.NegativeLabel;
}

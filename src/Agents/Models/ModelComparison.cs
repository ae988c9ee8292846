using System.Globalization;
using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// Champion against challenger on the same held-out rows. Regression: the challenger wins when it
/// cuts RMSE by at least the margin, relatively (0.05: 5 % lower). Binary: when its AUC is higher by
/// at least the margin (0.01: one point).
/// </summary>
public static class ModelComparison
{
    public static ComparisonResult Compare(ModelPackage champion, ModelPackage challenger, Dataset holdout, double margin)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(holdout);
        if (!(margin >= 0) || !double.IsFinite(margin))
            throw new ArgumentException($"margin must be a number of at least 0 (got {margin})", nameof(margin));
        if (champion.Card.Task != challenger.Card.Task || !string.Equals(champion.Card.Target, challenger.Card.Target, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"the challenger predicts {challenger.Card.Target} ({challenger.Card.Task}), the champion {champion.Card.Target} ({champion.Card.Task}): they cannot be compared", nameof(challenger));
        var a = champion.Evaluate(holdout);
        var b = challenger.Evaluate(holdout);
        var c = CultureInfo.InvariantCulture;
        if (champion.Card.Task == ModelTasks.Binary)
        {
            var (championAuc, challengerAuc) = (a.Auc ?? 0.5, b.Auc ?? 0.5);
            var gain = challengerAuc - championAuc;
            var better = gain >= margin;
            var reason = string.Create(c, $"the challenger's AUC {challengerAuc:0.0000} is {(gain >= 0 ? "higher" : "lower")} than the champion's {championAuc:0.0000} by {Math.Abs(gain):0.0000} on {a.Rows} rows, {(better ? "at least" : "less than")} the margin {margin:0.0000} needed");
            return new ComparisonResult(a, b, "auc", margin, better, reason);
        }
        var (championRmse, challengerRmse) = (a.Rmse ?? 0, b.Rmse ?? 0);
        var reduction = championRmse == 0 ? (challengerRmse == 0 ? 0 : double.NegativeInfinity) : (championRmse - challengerRmse) / championRmse;
        var wins = reduction >= margin && a.Rows > 0;
        var sentence = string.Create(c, $"the challenger's RMSE {challengerRmse:0.####} is {Math.Abs(reduction):P1} {(reduction >= 0 ? "below" : "above")} the champion's {championRmse:0.####} on {a.Rows} rows, {(wins ? "at least" : "less than")} the {margin:P1} reduction needed");
        return new ComparisonResult(a, b, "rmse", margin, wins, sentence);
    }
}

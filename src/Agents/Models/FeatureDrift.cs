namespace Aviary.Agents.Models;

/// <summary>
/// How one feature's live values compare with its reference: PSI and its band (or
/// <see cref="DriftCheck.NotEnoughData"/>), the test used (<c>ks</c> for numbers,
/// <c>chi-square</c> for categories), its statistic and p-value, and the verdict.
/// </summary>
public sealed record FeatureDrift(
    string Feature,
    string Kind,
    long LiveCount,
    long Missing,
    double Psi,
    string Band,
    string Test,
    double Statistic,
    double PValue,
    bool Drifted);

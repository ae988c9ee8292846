using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>
/// The model files of the cluster's runs, as the registry and the monitor need them: a model card
/// read into a version to register (with its training reference), and two versions scored on the
/// same held-out rows. Files stay under the outputs folder.
/// </summary>
public interface IModelArtifacts
{
    /// <summary>Reads the card at <paramref name="card"/> (relative to the outputs folder); a missing or malformed card is refused naming it.</summary>
    Task<(ModelVersionView Draft, ReferenceProfile Reference)> ReadCardAsync(string card, CancellationToken cancellationToken = default);

    /// <summary>Scores both on <paramref name="holdout"/> (default: the challenger's held-out rows).</summary>
    Task<ModelComparisonView> CompareAsync(string model, ModelVersionView champion, ModelVersionView challenger, double margin, string? holdout, CancellationToken cancellationToken = default);
}

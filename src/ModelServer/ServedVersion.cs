using Aviary.Agents.Models;

namespace Aviary.ModelServer;

/// <summary>
/// A version ready to answer: a model package with the recorder of what it saw, or an ensemble of
/// such versions with the way their answers are combined.
/// </summary>
public sealed class ServedVersion
{
    private ServedVersion(string name, ModelPackage? package, ObservationRecorder? recorder, IReadOnlyList<ServedVersion> members, string? combine)
    {
        Name = name;
        Package = package;
        Recorder = recorder;
        Members = members;
        Combine = combine;
    }

    public string Name { get; }

    public ModelPackage? Package { get; }

    public ObservationRecorder? Recorder { get; }

    /// <summary>An ensemble's versions; empty for a single version.</summary>
    public IReadOnlyList<ServedVersion> Members { get; }

    /// <summary>An ensemble's <c>mean</c> or <c>vote</c>.</summary>
    public string? Combine { get; }

    /// <summary>The task its answers are for: a single version's, or its members' (one task for all).</summary>
    public string Task => Package?.Card.Task ?? Members[0].Task;

    public static ServedVersion Single(string name, ModelPackage package, ObservationRecorder recorder) => new(name, package, recorder, [], null);

    public static ServedVersion Ensemble(string name, IReadOnlyList<ServedVersion> members, string combine) => new(name, null, null, members, combine);
}

namespace Aviary.ModelServer;

/// <summary>
/// An ensemble of versions answering as one: <c>mean</c> averages their predictions (values or
/// probabilities); <c>vote</c> (binary models) takes the majority label, its prediction the share of
/// members voting for the positive class.
/// </summary>
public sealed class EnsembleOptions
{
    public List<string> Members { get; set; } = [];

    /// <summary><c>mean</c> (default) or <c>vote</c>.</summary>
    public string Combine { get; set; } = "mean";
}

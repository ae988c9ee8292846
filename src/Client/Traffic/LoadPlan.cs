namespace Aviary.Client.Traffic;

/// <summary>What <see cref="LoadGenerator"/> sends: GET requests to <see cref="Target"/>, at a fixed rate, for a fixed time.</summary>
public sealed record LoadPlan(Uri Target, string? Host, int RequestsPerSecond, TimeSpan Duration, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const int MaxRate = 100_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>Requests allowed in flight before the generator sheds (and counts) the ones it cannot start on time.</summary>
    public int MaxInFlight { get; init; } = 512;
}

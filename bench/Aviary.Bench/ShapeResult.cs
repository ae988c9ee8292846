namespace Aviary.Bench;

/// <summary>
/// Every run of one workflow shape (W1, W2, W3) on one engine: the wall time of each, so a table
/// can show the median with the spread beside it rather than one run's luck.
/// </summary>
/// <param name="Shape">The shape's name as the tables print it.</param>
/// <param name="Tasks">Tasks (jobs) in one run, the join included.</param>
/// <param name="Runs">Wall time of each run, in the order they ran.</param>
public sealed record ShapeResult(string Shape, int Tasks, IReadOnlyList<TimeSpan> Runs)
{
    /// <summary>The middle run (the slower of the two middle ones for an even count, as <see cref="WorkflowBench.RepeatAsync"/> picks).</summary>
    public TimeSpan Median => Runs.Order().ElementAt(Runs.Count / 2);

    public TimeSpan Min => Runs.Min();

    public TimeSpan Max => Runs.Max();

    /// <summary>Tasks per second of a run that took <paramref name="wall"/>: the fastest run gives the highest rate.</summary>
    public double TasksPerSecond(TimeSpan wall) => Tasks / wall.TotalSeconds;
}

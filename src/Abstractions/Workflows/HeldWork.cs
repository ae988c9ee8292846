namespace Aviary.Workflows;

/// <summary>An attempt a run asks its agent pool about: task id and attempt number.</summary>
[GenerateSerializer, Immutable, Alias("aviary.AttemptRef")]
public readonly record struct AttemptRef([property: Id(0)] string TaskId, [property: Id(1)] int Attempt);

/// <summary>Where an agent pool has an attempt: not at all (lost with a silo, or already answered), waiting in its queue, or running since a time.</summary>
[GenerateSerializer, Immutable, Alias("aviary.HeldWork")]
public readonly record struct HeldWork([property: Id(0)] HeldWorkState State, [property: Id(1)] DateTimeOffset? RunningSince)
{
    public static readonly HeldWork NotHeld = new(HeldWorkState.NotHeld, null);
    public static readonly HeldWork Queued = new(HeldWorkState.Queued, null);

    public static HeldWork Running(DateTimeOffset since) => new(HeldWorkState.Running, since);
}

public enum HeldWorkState
{
    NotHeld = 0,
    Queued = 1,
    Running = 2,
}

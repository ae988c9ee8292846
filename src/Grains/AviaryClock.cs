namespace Aviary.Grains;

/// <summary>
/// Aviary's own notion of now, given to grains and deciders. Tests hand it a fake
/// <see cref="TimeProvider"/> without touching the runtime's clock, whose maintenance loops
/// would spin on fake time.
/// </summary>
public sealed class AviaryClock(TimeProvider time)
{
    public static AviaryClock System { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}

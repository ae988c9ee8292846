namespace Aviary.Bench;

/// <summary>The raw grain-call ceiling: a call that does nothing.</summary>
[Alias("aviary.bench.INoopGrain")]
public interface INoopGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task PingAsync();
}

public sealed class NoopGrain : Grain, INoopGrain
{
    Task INoopGrain.PingAsync() => Task.CompletedTask;
}

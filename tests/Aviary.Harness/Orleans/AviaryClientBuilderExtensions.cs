namespace Aviary.Harness.Orleans;

public static class AviaryClientBuilderExtensions
{
    /// <summary>
    /// Aviary's stream provider on a client: memory streams on <see cref="Names.StreamQueues"/>
    /// queues, which must be the silos' count (a client writes to the queue its stream maps to).
    /// </summary>
    public static IClientBuilder AddAviaryStreams(this IClientBuilder client) =>
        client.AddMemoryStreams(Names.StreamProvider, streams => streams.ConfigurePartitioning(Names.StreamQueues));
}

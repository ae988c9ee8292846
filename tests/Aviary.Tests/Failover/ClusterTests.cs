using Aviary.Harness;

namespace Aviary.Tests.Failover;

/// <summary>Harness pieces that need PostgreSQL: skipped without a server, failed without one in CI.</summary>
internal static class ClusterTests
{
    public static Task<SiloCluster> StartAsync(int silos, Aviary.Gateway.OrleansTlsOptions? tls = null) => OrSkip(() => SiloCluster.StartAsync(silos, tls));

    public static Task<PostgresDatabase> DatabaseAsync() => OrSkip(PostgresDatabase.CreateAsync);

    private static async Task<T> OrSkip<T>(Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (PostgresUnavailableException ex) when (!PostgresDatabase.Required)
        {
            Skip.If(true, ex.Message);
            throw; // not reached: Skip.If throws
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "failover";
}

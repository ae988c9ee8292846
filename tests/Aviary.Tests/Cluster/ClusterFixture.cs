using Aviary.Harness.Orleans;
using Aviary.Client.Cli;
using Aviary.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Aviary.Tests.Cluster;

/// <summary>
/// Two silos with memory storage, in-memory reminders and Aviary's memory streams. Grains get a
/// fake clock (the runtime keeps the real one); their timers look at it every 20 ms of real time,
/// so moving the fake clock makes a due check run at once.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(20);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>Where agents read inputs and write results in these tests.</summary>
    public Aviary.Agents.AgentFiles Files { get; } = new(
        Directory.CreateTempSubdirectory("aviary-agent-in-").FullName,
        Directory.CreateTempSubdirectory("aviary-agent-out-").FullName);

    public async Task InitializeAsync()
    {
        var clock = new AviaryClock(Time);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(clock);
            silo.AddMemoryGrainStorage(Names.Storage);
            silo.UseInMemoryReminderService();
            silo.AddAviaryGrains(t => t.MaxTimerDelay = TimerResolution, Files);
        });
        builder.ConfigureClient(client => client.AddAviaryStreams());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

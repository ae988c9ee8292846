using Aviary.Harness.Orleans;
using Aviary.Client.Cli;
using Aviary.Grains;
using Aviary.Harness;
using Aviary.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Aviary.Tests.Cluster;

/// <summary>
/// A one-silo cluster whose grain state and reminders live in a real SQLite file, set up exactly
/// as the embedded profile does it (schema scripts, ADO.NET providers). Started again on the same
/// file and ServiceId, it is the same deployment after a restart.
/// </summary>
public static class SqliteCluster
{
    public const string ServiceId = "aviary-sqlite-tests";
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(2);

    public static async Task<InProcessTestCluster> StartAsync(string dataDirectory, FakeTimeProvider time)
    {
        var connectionString = SqliteStorage.ConnectionString(dataDirectory);
        await SqliteSchema.ApplyAsync(connectionString);
        var clock = new AviaryClock(time);
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(clock);
            silo.AddSqliteStorage(connectionString);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = ReminderPeriod);
            silo.AddAviaryGrains(t =>
            {
                t.MaxTimerDelay = ClusterFixture.TimerResolution;
                t.ReminderPeriod = ReminderPeriod;
            });
        });
        builder.ConfigureClient(client => client.AddAviaryStreams());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// Waits, without calling <paramref name="grain"/>, until something else (its reminder, its
    /// keeper) brought it back. What it published on waking may have gone by before a test's probe
    /// subscribed, as memory streams do not replay: read its state after this instead.
    /// </summary>
    public static Task WaitUntilWokenAsync(this InProcessTestCluster cluster, IAddressable grain, string what) =>
        Poll.UntilAsync(
            async () => await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain) is not null,
            $"{what} woken by its reminder");
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Aviary.Silo.Storage;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// Grain state and reminders in one SQLite file, both written through one group-commit writer
    /// (<see cref="SqliteCommitQueue"/>) with the given durability.
    /// </summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder silo, string connectionString, SqliteDurability durability = SqliteDurability.Full)
    {
        // Reads what earlier builds stored through the ADO.NET provider; see LegacyGrainStates.
        silo.AddBinaryAdoNetGrainStorage(LegacyGrainStates.ProviderName, SqliteStorage.Invariant, connectionString);
        // The container owns the writer: it outlives every grain and reminder write, and its
        // disposal at shutdown commits what is still queued.
        silo.Services.AddSingleton(services => new SqliteCommitQueue(connectionString, ServiceId(services), durability,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteCommitQueue>()));
        silo.Services.AddGrainStorage(Names.Storage, (services, name) =>
        {
            var serviceId = ServiceId(services);
            var queue = services.GetRequiredService<SqliteCommitQueue>();
            var legacy = new LegacyGrainStates(connectionString, serviceId,
                services.GetRequiredKeyedService<IGrainStorage>(LegacyGrainStates.ProviderName));
            return new SqliteGrainStorage(connectionString, serviceId, queue,
                new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
                services.GetRequiredService<IActivatorProvider>(), legacy);
        });
        silo.Services.AddSingleton<IReminderTable>(services =>
            new SqliteReminderTable(connectionString, ServiceId(services), services.GetRequiredService<SqliteCommitQueue>()));
        return silo.AddReminders();
    }

    private static string ServiceId(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}

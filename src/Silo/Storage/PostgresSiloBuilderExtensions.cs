using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Aviary.Silo.Storage;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// Membership, grain state and reminders in one PostgreSQL database through the Orleans ADO.NET
    /// providers. State is written with the Orleans binary serializer, as in the embedded profile.
    /// </summary>
    public static ISiloBuilder AddPostgresStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(Names.Storage, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = PostgresConnection.Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        // Explicit stream subscriptions (consoles watching a rollout) must outlive the silo that
        // recorded them, so pub-sub state is shared too.
        silo.AddAdoNetGrainStorage(Names.PubSubStore, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = PostgresConnection.Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }
}

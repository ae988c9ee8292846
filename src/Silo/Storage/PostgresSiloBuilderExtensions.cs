namespace Aviary.Silo.Storage;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// Membership, grain state (binary serialized, as in the embedded profile), reminders and stream
    /// subscriptions in one PostgreSQL database through the Orleans ADO.NET providers.
    /// </summary>
    public static ISiloBuilder AddPostgresStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresConnection.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddBinaryAdoNetGrainStorage(Names.Storage, PostgresConnection.Invariant, connectionString);
        // Explicit stream subscriptions (consoles watching a rollout) must outlive the silo that
        // recorded them, so pub-sub state is shared too.
        silo.AddBinaryAdoNetGrainStorage(Names.PubSubStore, PostgresConnection.Invariant, connectionString);
        return silo.AddAdoNetReminders(PostgresConnection.Invariant, connectionString);
    }
}

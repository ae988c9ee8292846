namespace Aviary.Silo.Storage;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>Grain state (binary serialized) and reminders in one SQLite file, through the Orleans ADO.NET providers.</summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder silo, string connectionString) =>
        silo.AddBinaryAdoNetGrainStorage(Names.Storage, SqliteStorage.Invariant, connectionString)
            .AddAdoNetReminders(SqliteStorage.Invariant, connectionString);
}

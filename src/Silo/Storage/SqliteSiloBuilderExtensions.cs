namespace Aviary.Silo.Storage;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>Grain state and reminders in one SQLite file, through the Orleans ADO.NET providers.</summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(Names.Storage, o =>
        {
            o.Invariant = SqliteStorage.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = SqliteStorage.Invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }
}

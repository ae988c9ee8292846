using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Aviary.Silo.Storage;

/// <summary>What both profiles configure the same way on the Orleans ADO.NET providers; only the database differs.</summary>
public static class AdoNetSiloBuilderExtensions
{
    /// <summary>
    /// Named grain storage through the ADO.NET provider, written with the Orleans binary serializer
    /// rather than the default Newtonsoft JSON: it is several times faster and smaller (a
    /// 10,000-task workflow rewrites its progress often), and its [Id]/[Alias] contracts survive
    /// type renames where JSON's $type names would not.
    /// </summary>
    public static ISiloBuilder AddBinaryAdoNetGrainStorage(this ISiloBuilder silo, string name, string invariant, string connectionString) =>
        silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));

    /// <summary>Durable reminders through the ADO.NET provider.</summary>
    public static ISiloBuilder AddAdoNetReminders(this ISiloBuilder silo, string invariant, string connectionString) =>
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
}

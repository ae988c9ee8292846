using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Aviary.Silo.Storage;

/// <summary>
/// Grain states that builds before group commit wrote to <c>OrleansStorage</c> through the Orleans
/// ADO.NET provider. A grain with no row in <c>AviaryGrainState</c> is read from there once, and its
/// next write moves it over; a file that never held such states (every file this build created)
/// costs nothing: the old table is looked at once, found empty, and never read again.
/// </summary>
public sealed class LegacyGrainStates(string connectionString, string serviceId, IGrainStorage adoNet)
{
    /// <summary>The name the ADO.NET provider that reads the old table is registered under.</summary>
    public const string ProviderName = "aviary-earlier-builds";

    private readonly Lazy<bool> _present = new(() => AnyRows(connectionString, serviceId));

    /// <summary>True when the old table holds states of this service, so reads may fall back to it.</summary>
    public bool Present => _present.Value;

    /// <summary>Reads the state an earlier build wrote, if any; false when there is none.</summary>
    public async Task<bool> ReadAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!Present)
            return false;
        await adoNet.ReadStateAsync(stateName, grainId, grainState);
        return grainState.RecordExists;
    }

    private static bool AnyRows(string connectionString, string serviceId)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM OrleansStorage WHERE ServiceId = $service AND PayloadBinary IS NOT NULL);";
        command.Parameters.AddWithValue("$service", serviceId);
        return Convert.ToInt64(command.ExecuteScalar()) != 0;
    }
}

using Microsoft.Data.Sqlite;

namespace Aviary.Silo.Storage;

/// <summary>
/// What a write sees inside a shared commit: the transaction, the service id every row is keyed
/// by, and commands kept per statement for the whole batch, so a statement is prepared once per
/// commit rather than once per write.
/// </summary>
public sealed class CommitContext(SqliteConnection connection, SqliteTransaction transaction, string serviceId) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = [];

    /// <summary>The command for <paramref name="sql"/>, in this commit's transaction, with <c>$service</c> bound and no other parameters.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$service", serviceId);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
    }
}

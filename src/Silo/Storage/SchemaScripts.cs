using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Aviary.Silo.Storage;

/// <summary>
/// The project's own SQL scripts (deploy/sql/&lt;dialect&gt;/NNN-name.sql), embedded in the silo.
/// The number is the schema version a script brings the database to.
/// </summary>
public static partial class SchemaScripts
{
    [GeneratedRegex(@"^sql/(?<dialect>[a-z]+)/(?<version>\d{3})-[a-z0-9-]+\.sql$")]
    private static partial Regex NamePattern();

    public sealed record Script(int Version, string Name, string Sql);

    /// <summary>
    /// Runs each of <paramref name="dialect"/>'s scripts newer than <paramref name="current"/> in a
    /// transaction of its own, together with the command <paramref name="recordVersion"/> prepares
    /// to record it, so a start that dies half-way leaves the database at the last whole version.
    /// Returns the version reached.
    /// </summary>
    public static async Task<int> ApplyNewerAsync(DbConnection connection, string dialect, int current,
        Action<DbCommand, Script> recordVersion, CancellationToken cancellationToken)
    {
        foreach (var script in For(dialect))
        {
            if (script.Version <= current)
                continue;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var run = connection.CreateCommand())
            {
                run.Transaction = transaction;
                run.CommandText = script.Sql;
                await run.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                recordVersion(record, script);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            current = script.Version;
        }
        return current;
    }

    public static IReadOnlyList<Script> For(string dialect)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var scripts = new List<Script>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var match = NamePattern().Match(name);
            if (!match.Success || match.Groups["dialect"].Value != dialect)
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new Script(int.Parse(match.Groups["version"].Value), name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }
}

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

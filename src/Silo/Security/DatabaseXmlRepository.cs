using System.Data.Common;
using System.Xml.Linq;
using Aviary.Silo.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Aviary.Silo.Security;

/// <summary>
/// The Data Protection key ring in the profile's database (table <c>AviaryDataProtectionKeys</c>,
/// deploy/sql): SQLite in the embedded profile, PostgreSQL in a cluster, where every silo reads
/// the keys every other made. Elements are only added, as Data Protection expects.
/// </summary>
public sealed class DatabaseXmlRepository(string connectionString, bool postgres) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM AviaryDataProtectionKeys ORDER BY CreatedAt, Name";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
            elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // Two silos making a key at once each store their own (ids differ); the same name twice is the same key.
        command.CommandText = postgres
            ? "INSERT INTO AviaryDataProtectionKeys (Name, Xml, CreatedAt) VALUES (@Name, @Xml, @CreatedAt) ON CONFLICT (Name) DO NOTHING"
            : "INSERT OR IGNORE INTO AviaryDataProtectionKeys (Name, Xml, CreatedAt) VALUES (@Name, @Xml, @CreatedAt)";
        command.AddParameter("Name", string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName);
        command.AddParameter("Xml", element.ToString(SaveOptions.DisableFormatting));
        command.AddParameter("CreatedAt", ProfileDatabase.Instant(DateTimeOffset.UtcNow, postgres));
        command.ExecuteNonQuery();
    }

    private DbConnection Open()
    {
        var connection = ProfileDatabase.Connection(connectionString, postgres);
        connection.Open();
        return connection;
    }
}

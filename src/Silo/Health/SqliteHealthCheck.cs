using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aviary.Silo.Health;

/// <summary>Ready when the grain-state database answers a query.</summary>
public sealed class SqliteHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM OrleansQuery;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("storage answers");
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("storage does not answer", ex);
        }
    }
}

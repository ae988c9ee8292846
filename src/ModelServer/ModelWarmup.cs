namespace Aviary.ModelServer;

/// <summary>Loads every configured version and ensemble once the server starts, so readiness turns green without waiting for traffic.</summary>
public sealed class ModelWarmup(ModelVersions versions) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var name in versions.Configured.ToArray())
            await versions.GetAsync(name, stoppingToken);
    }
}

using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>Where a model's automatic actions are written for the audit log (the silo's audit store; nowhere in a grains-only host).</summary>
public interface IModelAudit
{
    Task RecordAsync(ModelEvent evt, string service);
}

/// <summary>No audit log: hosts without the silo's API (tests of grains alone).</summary>
public sealed class NoModelAudit : IModelAudit
{
    public Task RecordAsync(ModelEvent evt, string service) => Task.CompletedTask;
}

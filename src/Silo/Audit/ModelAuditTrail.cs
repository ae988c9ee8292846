using Aviary.Grains.Models;
using Aviary.Models;

namespace Aviary.Silo.Audit;

/// <summary>
/// A model monitor's automatic actions in the audit log beside the API's changes: the caller is
/// <c>aviary:model-monitor</c>, the method <c>AUTO</c>, the target the model and version, the
/// reason the action's message. Never fails the action: a lost row is logged.
/// </summary>
public sealed partial class ModelAuditTrail(AuditStore store, ILogger<ModelAuditTrail> logger) : IModelAudit
{
    public async Task RecordAsync(ModelEvent evt, string service)
    {
        try
        {
            await store.AppendAsync(new AuditEntry(
                0,
                evt.At,
                evt.By,
                "AUTO",
                $"/api/models/{evt.Model}/{Kebab(evt.Kind)}",
                service,
                evt.Version is null ? evt.Model : $"{evt.Model}@{evt.Version}",
                null,
                "",
                200,
                AuditEntry.Accepted,
                evt.Message), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, evt.Model, evt.Kind);
        }
    }

    private static string Kebab(ModelEventKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Audit entry not recorded for model {Model} ({Kind})")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string model, ModelEventKind kind);
}

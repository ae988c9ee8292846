using System.Diagnostics.Metrics;

namespace Aviary.Grains.Webhooks;

/// <summary>Webhooks' instruments on Aviary's meter: <c>aviary_webhook_deliveries{outcome}</c>, <c>aviary_webhook_gate_calls{outcome}</c>.</summary>
public static class WebhookMeters
{
    public static readonly Counter<long> Deliveries =
        AviaryMeters.Meter.CreateCounter<long>("webhook.deliveries", description: "Webhook deliveries by outcome: delivered, failed (after the last attempt), dropped (outbox full)");

    public static readonly Counter<long> GateCalls =
        AviaryMeters.Meter.CreateCounter<long>("webhook.gate.calls", description: "Gating webhook calls by outcome: passed, refused");

    public static void Delivery(string outcome) => Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void Gate(string outcome) => GateCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

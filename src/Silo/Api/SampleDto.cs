namespace Aviary.Silo.Api;

/// <summary>One request outcome in a <c>POST …/samples</c> body: <c>{"ok": true, "latencyMs": 12.5}</c>.</summary>
public sealed record SampleDto(bool? Ok, double? LatencyMs);

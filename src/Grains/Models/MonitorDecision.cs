namespace Aviary.Grains.Models;

/// <summary>A monitor check's outcome: the state to store (before anything is done), what to do, and a note for operators.</summary>
public sealed record MonitorDecision(ModelMonitorState State, IReadOnlyList<MonitorAction> Actions, string Note);

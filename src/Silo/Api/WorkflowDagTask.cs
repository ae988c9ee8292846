namespace Aviary.Silo.Api;

/// <summary>One task of a <see cref="WorkflowDag"/>: what draws it, never its input.</summary>
public sealed record WorkflowDagTask(string Id, string Agent, string[] DependsOn, TimeSpan Estimate);

namespace Aviary.Agents.Models;

/// <summary>
/// One way a dataset breaks its schema: <see cref="Rule"/> is <c>missing-column</c>,
/// <c>type</c>, <c>range</c>, <c>category</c> or <c>missing-share</c>; <see cref="Rows"/> counts
/// the rows that break it (0 for a missing column).
/// </summary>
public sealed record SchemaViolation(string Column, string Rule, int Rows, string Message);

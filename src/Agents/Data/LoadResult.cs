namespace Aviary.Agents.Data;

/// <summary>What the loader read, and everything odd it met on the way (never an exception for messy data).</summary>
public sealed record LoadResult(Dataset Data, string Format, string Encoding, int DuplicateRows, IReadOnlyList<string> Issues);

namespace Aviary.Agents.Models;

/// <summary>Rows trained on, held out for testing, and dropped because their target was missing or unreadable.</summary>
public sealed record TrainingRows(int Train, int Test, int Dropped);

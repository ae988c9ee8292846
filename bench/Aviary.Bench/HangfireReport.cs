namespace Aviary.Bench;

/// <summary>Hangfire's figures for the workflow shapes and the setup that produced them, to print beside Aviary's.</summary>
/// <param name="Storage">The storage and its durability as the SQLite file reports it, e.g. "Hangfire.Storage.SQLite 0.4.3 on SQLite 3.53.4, journal_mode=wal, synchronous=FULL".</param>
/// <param name="Workers">The server's worker threads.</param>
/// <param name="QueuePollInterval">How often an idle worker polls the queue.</param>
/// <param name="Shapes">W1, W2 and W3, in that order.</param>
public sealed record HangfireReport(string Storage, int Workers, TimeSpan QueuePollInterval, IReadOnlyList<ShapeResult> Shapes);

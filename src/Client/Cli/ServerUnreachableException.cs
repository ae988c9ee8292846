namespace Aviary.Client.Cli;

/// <summary>No silo answered at the given servers (exit code 2).</summary>
public sealed class ServerUnreachableException(string servers, Exception? inner = null)
    : Exception($"server: cannot reach an Aviary silo at {servers}", inner);

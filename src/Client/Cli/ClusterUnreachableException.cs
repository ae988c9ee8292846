namespace Aviary.Client.Cli;

public sealed class ClusterUnreachableException(string gateway, Exception? inner = null)
    : Exception($"gateway: cannot reach an Aviary silo at {gateway}", inner);

using Orleans.Runtime;

namespace Aviary.Harness.Orleans;

/// <summary>Errors an Orleans client sees while the cluster rearranges itself (a silo died, its grains move), not because a call is wrong.</summary>
public static class OrleansTransient
{
    public static bool IsTransient(Exception ex) => ex is SiloUnavailableException
        or OrleansMessageRejectionException
        or global::Orleans.Runtime.Messaging.ConnectionFailedException
        or TimeoutException
        or GatewayTooBusyException;
}

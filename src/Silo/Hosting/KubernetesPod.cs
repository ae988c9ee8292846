namespace Aviary.Silo.Hosting;

/// <summary>The pod identity Kubernetes gives a silo through the downward API (see deploy/kubernetes).</summary>
public static class KubernetesPod
{
    public const string NameVariable = "POD_NAME";
    public const string NamespaceVariable = "POD_NAMESPACE";
    public const string IpVariable = "POD_IP";

    /// <summary>True inside a pod whose manifest passes its name and namespace: Orleans' Kubernetes hosting is turned on.</summary>
    public static bool IsPresent =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NameVariable))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NamespaceVariable));
}

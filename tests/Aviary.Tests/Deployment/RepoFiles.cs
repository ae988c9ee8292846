namespace Aviary.Tests.Deployment;

/// <summary>What the deployment-file tests share: paths in the repository, and reporting every problem at once.</summary>
internal static class RepoFiles
{
    public static string InRepo(string relative) => Path.Combine(RepoPaths.Root, relative);

    public static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

    /// <summary>Fails with every problem on a line of its own (Assert.Empty would cut each one short).</summary>
    public static void AssertNone(List<string> problems)
    {
        if (problems.Count > 0)
            Assert.Fail(string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// True when an environment variable such as <c>Aviary__HttpPort</c>, <c>Aviary__SiloGateway</c>
    /// or <c>Aviary__Gateway__Port</c> names a setting one of the processes binds (the silo's
    /// AviaryOptions, the standalone gateway's GatewayClusterOptions, or the gateway's section).
    /// </summary>
    public static bool NamesASetting(string variable) =>
        NamesASetting(variable, typeof(Aviary.Silo.Configuration.AviaryOptions)) || NamesAGatewaySetting(variable);

    /// <summary>
    /// True when the variable names a setting the standalone gateway binds: GatewayClusterOptions
    /// or the gateway's section. Stricter than <see cref="NamesASetting(string)"/>: a silo-only
    /// setting such as <c>Aviary__HttpPort</c> does nothing in a gateway.
    /// </summary>
    public static bool NamesAGatewaySetting(string variable) =>
        NamesASetting(variable, typeof(Aviary.Gateway.GatewayClusterOptions));

    private static bool NamesASetting(string variable, Type aviarySection)
    {
        var parts = variable["Aviary__".Length..].Split("__");
        return parts[0] == "Gateway"
            ? parts.Length == 2 && Settable(typeof(Aviary.Gateway.AviaryGatewayOptions), parts[1])
            : Settable(aviarySection, parts);
    }

    /// <summary>Whether the path of property names leads, through settable properties, to a value (not a section).</summary>
    private static bool Settable(Type options, params string[] path)
    {
        var type = options;
        foreach (var name in path)
        {
            if (type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance) is not { CanWrite: true } property)
                return false;
            type = property.PropertyType;
        }
        return type == typeof(string) || type.IsValueType;
    }
}

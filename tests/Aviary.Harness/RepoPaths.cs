namespace Aviary.Harness;

/// <summary>Where the built silo and console live: the build of the same configuration as the running assembly (tests or bench).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever the running assembly was built as.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Built("src/Silo", "Aviary.Silo.dll");

    public static string ClientDll => Built("src/Client", "aviary.dll");

    public static string GatewayDll => Built("src/Gateway", "Aviary.Gateway.dll");

    public static string DemoUpstreamDll => Built("examples/DemoUpstream", "Aviary.DemoUpstream.dll");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first: {path} is missing", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}

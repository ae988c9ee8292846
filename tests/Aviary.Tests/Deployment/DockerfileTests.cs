using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aviary.Silo.Configuration;
using Aviary.Tests.EndToEnd;
using static Aviary.Tests.Deployment.RepoFiles;

namespace Aviary.Tests.Deployment;

/// <summary>
/// deploy/docker/*.Dockerfile agree with the projects they build: the paths they copy exist, the
/// restore layer holds every project file it needs, the silo and gateway images expose their ports.
/// Static checks of the files as written: no Docker engine needed.
/// </summary>
public sealed class DockerfileTests
{
    private const string SiloDockerfile = "deploy/docker/silo.Dockerfile";
    private const string ClientDockerfile = "deploy/docker/client.Dockerfile";
    private const string GatewayDockerfile = "deploy/docker/gateway.Dockerfile";

    private static readonly AviaryOptions Defaults = new();
    private static readonly Aviary.Gateway.AviaryGatewayOptions GatewayDefaults = new();

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_CopiesPathsThatExist(string dockerfile)
    {
        var sources = CopiedFromContext(Instructions(dockerfile)).ToList();

        var missing = sources.Where(s => !File.Exists(InRepo(s)) && !Directory.Exists(InRepo(s))).Select(s => $"{dockerfile}: COPY {s}: no such file or folder").ToList();

        Assert.NotEmpty(sources);
        AssertNone(missing);
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_PublishesTheProjectItRestores(string dockerfile)
    {
        var restored = DotnetProject(dockerfile, "restore");

        Assert.True(File.Exists(InRepo(restored)), $"{dockerfile}: dotnet restore {restored}: no such project");
        Assert.Equal(restored, DotnetProject(dockerfile, "publish"));
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_CopiesEveryProjectFileBeforeRestoring(string dockerfile)
    {
        var instructions = Instructions(dockerfile);
        var restoreAt = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copied = CopiedFromContext(instructions.Take(restoreAt).ToList()).ToList();
        var rootFiles = new[] { "global.json", "nuget.config", "NuGet.config", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" };
        var needed = ProjectClosure(DotnetProject(dockerfile, "restore")).Concat(rootFiles.Where(f => File.Exists(InRepo(f))));

        var missing = needed.Where(f => !Covers(copied, f)).Select(f => $"{dockerfile}: {f} is not copied before dotnet restore").ToList();

        AssertNone(missing);
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_CopiesNoProjectFileItDoesNotRestore(string dockerfile)
    {
        var instructions = Instructions(dockerfile);
        var restoreAt = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var closure = ProjectClosure(DotnetProject(dockerfile, "restore"));

        // An extra project file in the restore layer re-downloads packages whenever that project changes.
        var extra = CopiedFromContext(instructions.Take(restoreAt).ToList())
            .Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) && !closure.Contains(f))
            .Select(f => $"{dockerfile}: copies {f} before dotnet restore, which {DotnetProject(dockerfile, "restore")} does not reference")
            .ToList();

        AssertNone(extra);
    }

    [Fact]
    public void SiloDockerfile_CopiesTheSqlScriptsTheSiloEmbeds()
    {
        var outside = XDocument.Load(InRepo("src/Silo/Aviary.Silo.csproj")).Descendants("EmbeddedResource")
            .Select(e => (e.Attribute("Include")?.Value ?? "").Replace('\\', '/'))
            .Where(include => include.StartsWith("../", StringComparison.Ordinal))
            .Select(include => include.Contains('*') ? include[..include.IndexOf('*')] : include)
            .Select(folder => Relative(Path.GetFullPath(Path.Combine(RepoPaths.Root, "src/Silo", folder))).TrimEnd('/'));
        var copied = CopiedFromContext(Instructions(SiloDockerfile)).ToList();

        var missing = outside.Where(folder => !Covers(copied, folder)).Select(folder => $"{SiloDockerfile}: does not copy {folder}, which the silo embeds").ToList();

        AssertNone(missing);
    }

    [Fact]
    public void SiloDockerfile_ExposesTheDefaultPorts()
    {
        var exposed = Instructions(SiloDockerfile).Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Words)
            .Select(w => int.Parse(w.Split('/')[0], CultureInfo.InvariantCulture)).Order();

        Assert.Equal(new[] { Defaults.HttpPort, Defaults.SiloPort, Defaults.GatewayPort, GatewayDefaults.Port }.Order(), exposed);
    }

    [Fact]
    public void SiloDockerfile_ListensOnAllInterfacesAndLogsJson()
    {
        var env = DockerEnv(SiloDockerfile);

        Assert.Equal("0.0.0.0", env.GetValueOrDefault("Aviary__HttpHost"));
        Assert.Equal("0.0.0.0", env.GetValueOrDefault("Aviary__Gateway__Host"));
        Assert.Equal("json", env.GetValueOrDefault("Aviary__LogFormat"));
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_AviaryVariables_NameSettableAviaryOptions(string dockerfile)
    {
        var unknown = DockerEnv(dockerfile).Keys
            .Where(name => name.StartsWith("Aviary__", StringComparison.Ordinal))
            .Where(name => !NamesASetting(name))
            .Select(name => $"{dockerfile}: ENV {name} names no settable property of AviaryOptions")
            .ToList();

        AssertNone(unknown);
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(ClientDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_RunsAsTheNonRootAppUser(string dockerfile)
    {
        var user = Instructions(dockerfile).LastOrDefault(i => i.Keyword == "USER")?.Arguments;

        Assert.Contains(user, new[] { "$APP_UID", "${APP_UID}" });
    }

    [Fact]
    public void GatewayDockerfile_ExposesTheDefaultPort()
    {
        var exposed = Instructions(GatewayDockerfile).Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Words)
            .Select(w => int.Parse(w.Split('/')[0], CultureInfo.InvariantCulture));

        Assert.Equal(new[] { GatewayDefaults.Port }, exposed);
    }

    [Fact]
    public void GatewayDockerfile_ListensOnAllInterfacesAndLogsJson()
    {
        var env = DockerEnv(GatewayDockerfile);

        Assert.Equal("0.0.0.0", env.GetValueOrDefault("Aviary__Gateway__Host"));
        Assert.Equal("json", env.GetValueOrDefault("Aviary__LogFormat"));
        // The gateway binds its own URL; an inherited ASPNETCORE_HTTP_PORTS=8080 would only log a warning about it.
        Assert.Equal("", env.GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));
    }

    [Fact]
    public void GatewayDockerfile_AviaryVariables_NameGatewaySettings()
    {
        var names = DockerEnv(GatewayDockerfile).Keys.Where(name => name.StartsWith("Aviary__", StringComparison.Ordinal)).ToList();

        var unknown = names
            .Where(name => !NamesAGatewaySetting(name))
            .Select(name => $"{GatewayDockerfile}: ENV {name} names no settable property of GatewayClusterOptions or AviaryGatewayOptions")
            .ToList();

        Assert.NotEmpty(names);
        AssertNone(unknown);
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(GatewayDockerfile)]
    public void Dockerfile_EntrypointRunsTheAssemblyItPublishes(string dockerfile)
    {
        var project = DotnetProject(dockerfile, "publish");
        var assemblyName = XDocument.Load(InRepo(project)).Descendants("AssemblyName").SingleOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project);
        var entrypoint = JsonSerializer.Deserialize<string[]>(Instructions(dockerfile).Last(i => i.Keyword == "ENTRYPOINT").Arguments);

        Assert.Equal(new[] { "dotnet", $"{assemblyName}.dll" }, entrypoint);
    }

    [Fact]
    public void ClientDockerfile_EntrypointIsTheAviaryExecutable()
    {
        var entrypoint = Instructions(ClientDockerfile).Last(i => i.Keyword == "ENTRYPOINT").Arguments;
        var assemblyName = XDocument.Load(InRepo("src/Client/Aviary.Client.csproj")).Descendants("AssemblyName").Single().Value;

        Assert.Equal(assemblyName, Path.GetFileName(JsonSerializer.Deserialize<string[]>(entrypoint)?[0]));
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputOutOfTheContext()
    {
        var patterns = File.ReadAllLines(InRepo(".dockerignore")).Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
    }

    private sealed record Instruction(string Keyword, string Arguments)
    {
        public string[] Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The instructions of a Dockerfile: comments dropped, continuation lines joined.</summary>
    private static List<Instruction> Instructions(string dockerfile)
    {
        var instructions = new List<Instruction>();
        var pending = new StringBuilder();
        foreach (var raw in File.ReadLines(InRepo(dockerfile)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            var text = pending.Append(line).ToString();
            pending.Clear();
            var space = text.IndexOf(' ');
            instructions.Add(space < 0
                ? new Instruction(text.ToUpperInvariant(), "")
                : new Instruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
        }
        return instructions;
    }

    /// <summary>Sources of COPY and ADD from the build context (not from another stage), repo-relative.</summary>
    private static IEnumerable<string> CopiedFromContext(List<Instruction> instructions) =>
        instructions
            .Where(i => i.Keyword is "COPY" or "ADD" && !i.Words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            .SelectMany(i => i.Words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1));

    /// <summary>Whether one of the copied sources is <paramref name="path"/> or a folder holding it.</summary>
    private static bool Covers(List<string> copied, string path) =>
        copied.Select(c => c.TrimEnd('/')).Any(c => path == c || path.StartsWith(c + "/", StringComparison.Ordinal));

    /// <summary>The project of the Dockerfile's <c>RUN dotnet restore|publish &lt;project&gt;.csproj</c>.</summary>
    private static string DotnetProject(string dockerfile, string verb) =>
        Instructions(dockerfile).Where(i => i.Keyword == "RUN")
            .Select(i => Regex.Match(i.Arguments, $@"dotnet {verb} (?<project>\S+\.csproj)"))
            .FirstOrDefault(m => m.Success)?.Groups["project"].Value
        ?? throw new InvalidOperationException($"{dockerfile}: no RUN dotnet {verb} <project>.csproj");

    private static Dictionary<string, string> DockerEnv(string dockerfile)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in Instructions(dockerfile).Where(i => i.Keyword == "ENV").SelectMany(i => i.Words).Where(w => w.Contains('=')))
            env[word[..word.IndexOf('=')]] = word[(word.IndexOf('=') + 1)..].Trim('"');
        return env;
    }

    /// <summary>A project and every project it references, transitively, as repo-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var closure = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!closure.Add(current))
                continue;
            var dir = Path.GetDirectoryName(InRepo(current))!;
            foreach (var reference in XDocument.Load(InRepo(current)).Descendants("ProjectReference"))
                pending.Push(Relative(Path.GetFullPath(Path.Combine(dir, (reference.Attribute("Include")?.Value ?? "").Replace('\\', '/')))));
        }
        return closure;
    }
}

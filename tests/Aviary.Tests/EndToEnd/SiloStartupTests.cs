namespace Aviary.Tests.EndToEnd;

/// <summary>A bad setting stops the real silo at start with one line naming it.</summary>
public sealed class SiloStartupTests
{
    [Theory]
    [InlineData("--http-port", "0", "aviary-silo: Aviary:HttpPort: must be a port between 1 and 65535 (got 0)")]
    [InlineData("--log-format", "xml", "aviary-silo: Aviary:LogFormat: must be 'text' or 'json' (got 'xml')")]
    [InlineData("--profile", "cloud", "aviary-silo: Aviary:Profile: must be 'embedded' or 'cluster' (got 'cloud')")]
    [InlineData("--profile", "cluster", "aviary-silo: Aviary:ConnectionString: must be set for the cluster profile (a PostgreSQL connection string, e.g. Host=db;Username=aviary;Password=...;Database=aviary)")]
    [InlineData("--silo-port", "many", "aviary-silo: Aviary:SiloPort: must be a whole number (got 'many')")]
    [InlineData("--Aviary:Auth:AdminKey", "avk_not-a-key", "aviary-silo: Aviary:Auth:AdminKey: must be an API key: avk_, 12 lower-case hex digits, '_', then 40 to 64 letters, digits, '-' or '_'")]
    [InlineData("--Aviary:Auth:Jwt:Authority", "issuer.example", "aviary-silo: Aviary:Auth:Jwt:Authority: must be an absolute https URL (http only with RequireHttpsMetadata false) (got 'issuer.example')")]
    [InlineData("--Aviary:Tls:Certificate", "/nonexistent/silo.crt", "aviary-silo: Aviary:Tls: give Certificate and Ca (and Key when the certificate file has no key), or none of them")]
    [InlineData("--Aviary:Feeds:IdleTimeout", "00:00:01", "aviary-silo: Aviary:Feeds:IdleTimeout: must be longer than the heartbeat 00:00:30 (got 00:00:01)")]
    [InlineData("--Aviary:AgentPool:MinWorkers", "12", "aviary-silo: Aviary:AgentPool:MinWorkers (12) must not exceed Aviary:AgentPool:MaxWorkers (10)")]
    [InlineData("--Aviary:AgentPool:Breaker:WindowSize", "none", "aviary-silo: Aviary:AgentPool:Breaker:WindowSize: must be a whole number (got 'none')")]
    public async Task BadSetting_StopsSiloWithOneLine(string option, string value, string expected)
    {
        var data = Directory.CreateTempSubdirectory("aviary-bad-").FullName;

        var run = await ProcessRun.RunAsync(RepoPaths.SiloDll, TimeSpan.FromSeconds(60), "--data-dir", data, option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Stderr.TrimEnd());
        Assert.False(File.Exists(Path.Combine(data, "aviary.db")), "nothing is created when the settings are bad");
    }

    [Fact]
    public async Task AuthenticationOff_BeyondThisMachine_StopsSiloWithOneLine()
    {
        var data = Directory.CreateTempSubdirectory("aviary-open-").FullName;

        var run = await ProcessRun.RunAsync(RepoPaths.SiloDll, TimeSpan.FromSeconds(60), "--data-dir", data, "--auth", "false", "--http-host", "0.0.0.0");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("aviary-silo: Aviary:Auth:Enabled: authentication is off, so HTTP must listen on this machine only (Aviary:HttpHost is '0.0.0.0'): turn authentication on, or listen on localhost", run.Stderr.TrimEnd());
    }

    [Fact]
    public async Task ClusterProfile_UnreachableDatabase_StopsSiloWithOneLine()
    {
        var run = await ProcessRun.RunAsync(RepoPaths.SiloDll, TimeSpan.FromSeconds(60),
            "--profile", "cluster", "--connection-string", "Host=127.0.0.1;Port=1;Username=aviary;Password=x;Database=aviary;Timeout=2", "--database-wait", "00:00:01");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("aviary-silo: Aviary:ConnectionString: cannot use database 127.0.0.1:1/aviary as aviary: ", run.Stderr.TrimEnd());
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("Password", run.Stderr);
    }
}

using Aviary.Client.Cli;
using Aviary.Harness.Orleans;

namespace Aviary.Harness;

/// <summary>
/// Real silo processes of the cluster profile on loopback, sharing one PostgreSQL database, with
/// failure detection tuned for tests (1 s probes, 2 missed) and 2 s reminders. Silos can be killed
/// (SIGKILL) or asked to leave (SIGTERM); an in-process Orleans client finds them through the
/// membership table, as the console does with --connection-string.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<Member> _members = [];
    private ClusterConnection? _connection;

    private SiloCluster(PostgresDatabase database, string clusterId, Aviary.Gateway.OrleansTlsOptions? tls)
    {
        Database = database;
        ClusterId = clusterId;
        Tls = tls;
    }

    /// <summary>The certificates every silo (and the harness' own client) presents, when the cluster runs TLS.</summary>
    public Aviary.Gateway.OrleansTlsOptions? Tls { get; }

    public PostgresDatabase Database { get; }

    public string ClusterId { get; }

    public IReadOnlyList<Member> Members => _members;

    public IClusterClient Client => _connection?.Client ?? throw new InvalidOperationException("no client yet");

    public sealed class Member(int index, int siloPort, int gatewayPort, int httpPort, ProcessRun process)
    {
        public int Index { get; } = index;
        public int SiloPort { get; } = siloPort;
        public int GatewayPort { get; } = gatewayPort;
        public int HttpPort { get; } = httpPort;
        public ProcessRun Process { get; } = process;
        public string Gateway => $"127.0.0.1:{GatewayPort}";

        /// <summary>Its HTTP API, for the console's <c>--server</c>.</summary>
        public string Server => $"http://127.0.0.1:{HttpPort}";
        public override string ToString() => $"silo {Index} (port {SiloPort}, pid {Process.Id})";
    }

    public static async Task<SiloCluster> StartAsync(int silos, Aviary.Gateway.OrleansTlsOptions? tls = null)
    {
        var database = await PostgresDatabase.CreateAsync();
        var cluster = new SiloCluster(database, $"test-{Guid.NewGuid():N}"[..13], tls);
        try
        {
            // The first silo applies the schema; the others then find it current.
            await cluster.AddSiloAsync();
            await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(_ => cluster.AddSiloAsync()));
            // The console's own connection, through the membership table as `--connection-string` does.
            cluster._connection = await ClusterConnection.ConnectAsync(
                ClusterConnection.Target.FromMembership(database.ConnectionString), new ClusterIdentity(cluster.ClusterId, ClusterIdentity.DefaultServiceId), CancellationToken.None, tls);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The data directory the silos share: the first wrote the admin key there.</summary>
    public string DataDirectory => Path.Combine(Path.GetTempPath(), $"aviary-{ClusterId}");

    /// <summary>The first admin key, which the first silo wrote at its start.</summary>
    public string AdminKey => File.ReadAllText(Path.Combine(DataDirectory, "admin.key")).Trim();

    public string[] SiloArguments(int siloPort, int gatewayPort, int httpPort) =>
    [
        "--profile", "cluster",
        "--connection-string", Database.ConnectionString,
        "--cluster-id", ClusterId,
        "--advertised-address", "127.0.0.1",
        "--silo-port", siloPort.ToString(),
        "--gateway-port", gatewayPort.ToString(),
        "--http-port", httpPort.ToString(),
        "--http-host", "127.0.0.1",
        "--log-format", "json",
        "--reminder-period", "00:00:02",
        "--probe-timeout", "00:00:01",
        "--missed-probes-limit", "2",
        "--data-dir", DataDirectory,
        .. Tls is { } tls ? new[] { "--Aviary:Tls:Certificate", tls.Certificate, "--Aviary:Tls:Key", tls.Key, "--Aviary:Tls:Ca", tls.Ca } : [],
    ];

    public async Task<Member> AddSiloAsync()
    {
        var ports = FreePorts.Take(3);
        var process = ProcessRun.Start(RepoPaths.SiloDll, SiloArguments(ports[0], ports[1], ports[2]));
        Member member;
        lock (_members)
        {
            member = new Member(_members.Count, ports[0], ports[1], ports[2], process);
            _members.Add(member);
        }
        await process.WaitForLineAsync("Application started", StartTimeout);
        return member;
    }

    /// <summary>The member whose silo holds <paramref name="grain"/>'s activation now (activating it if needed).</summary>
    public async Task<Member> HostOfAsync(IAddressable grain)
    {
        var address = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException("the grain has no activation");
        return _members.Single(m => m.SiloPort == address.Endpoint.Port);
    }

    /// <summary>SIGKILL: the silo vanishes without a word.</summary>
    public async Task KillAsync(Member member)
    {
        member.Process.Signal(kill: true);
        await member.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), $"kill {member}");
    }

    /// <summary>SIGTERM: the silo leaves the cluster gracefully and exits.</summary>
    public async Task<int> TerminateAsync(Member member)
    {
        member.Process.Signal(kill: false);
        return await member.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), $"terminate {member}");
    }

    public IEnumerable<Member> Survivors => _members.Where(m => !m.Process.HasExited);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync(); // says goodbye if it can, leaves anyway
        foreach (var member in _members)
            await member.Process.DisposeAsync();
        await Database.DisposeAsync();
    }
}

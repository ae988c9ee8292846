using System.Net.Http.Json;
using System.Text.Json;

namespace Aviary.Tests.Guardrails;

/// <summary>
/// A real silo of the guardrail tests' own: the guardrails are cluster-wide (a freeze would
/// refuse every other suite's deploys), and its sample limits are tight (100 a second, 200 at once).
/// </summary>
public sealed class GuardrailsSilo : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    public EmbeddedSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _silo = await EmbeddedSilo.StartAsync(
            "--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000",
            "--Aviary:Api:SamplesPerSecond", "100", "--Aviary:Api:SamplesBurst", "200");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }

    /// <summary>A new key with <paramref name="role"/>, and its caller id as the audit log and approvals name it.</summary>
    public async Task<(HttpClient Client, string Caller)> KeyAsync(string name, string role)
    {
        using var admin = Silo.Api();
        var response = await admin.PostAsJsonAsync("/api/keys", new { name, role });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (Silo.Api(created.GetProperty("token").GetString()), "key:" + created.GetProperty("key").GetProperty("id").GetString());
    }

    /// <summary>The admin key's caller id.</summary>
    public string AdminCaller => "key:" + Silo.AdminKey[Aviary.Security.ApiKeyToken.Prefix.Length..Silo.AdminKey.IndexOf('_', Aviary.Security.ApiKeyToken.Prefix.Length)];

    /// <summary>Runs the real <c>aviary</c> console against this silo as its admin.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> AviaryAsync(params string[] args) =>
        ProcessRun.RunAsync(RepoPaths.ClientDll, TimeSpan.FromSeconds(60), [.. args, "--server", Silo.Http.ToString(), "--token", Silo.AdminKey]);
}

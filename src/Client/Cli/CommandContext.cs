using System.CommandLine;
using Aviary.Deployments;
using Spectre.Console;

namespace Aviary.Client.Cli;

/// <summary>What every command gets: its parse result, the output, and a lazily opened cluster connection or HTTP API connection.</summary>
public sealed class CommandContext(ParseResult parse, Output output, string gateway, string? connectionString, ClusterIdentity identity, Func<ApiConnection> api) : IAsyncDisposable
{
    private ClusterConnection? _connection;
    private ApiConnection? _api;

    /// <summary>The silo's HTTP API, opened at first use.</summary>
    public ApiConnection Api => _api ??= api();

    public ParseResult Parse { get; } = parse;

    public Output Output { get; } = output;

    public IAnsiConsole Console => Output.Console;

    public string Gateway { get; } = gateway;

    public async Task<IClusterClient> ClientAsync(CancellationToken cancellationToken)
    {
        _connection ??= connectionString is not null
            ? await ClusterConnection.ConnectAsync(ClusterConnection.Target.FromMembership(connectionString), identity, cancellationToken)
            : await ClusterConnection.ConnectAsync(ClusterConnection.Target.FromGateways(GatewayAddress.ResolveList(Gateway), Gateway), identity, cancellationToken);
        return _connection.Client;
    }

    public async Task<RolloutOperations> OperationsAsync(CancellationToken cancellationToken) =>
        new(await ClientAsync(cancellationToken));

    public async Task<Aviary.Workflows.WorkflowOperations> WorkflowsAsync(CancellationToken cancellationToken) =>
        new(await ClientAsync(cancellationToken));

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}

using System.CommandLine;
using Aviary.Client.Commands;
using Aviary.Errors;
using Spectre.Console;

namespace Aviary.Client.Cli;

/// <summary>The <c>aviary</c> command tree and the one place errors become exit codes.</summary>
public static class CliApp
{
    /// <summary>Columns for tables and panels when standard output is not a terminal (a pipe, a CI log).</summary>
    private const int RedirectedWidth = 132;

    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = $"Silo gateway host:port, or several separated by commas (default {GatewayAddress.Default}, or ${GatewayAddress.EnvironmentVariable})",
        Recursive = true,
    };

    public static readonly Option<string> ConnectionString = new("--connection-string")
    {
        Description = $"Find the gateways in a cluster's PostgreSQL membership table instead (or ${GatewayAddress.ConnectionStringVariable})",
        Recursive = true,
    };

    public static readonly Option<string> OutputFormat = new("--output", "-o")
    {
        Description = "Output format: text or json",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = $"Orleans ClusterId of the silos (default {ClusterIdentity.DefaultClusterId}, or $AVIARY_CLUSTER_ID)",
        Recursive = true,
    };

    public static readonly Option<string> ServiceId = new("--service-id")
    {
        Description = $"Orleans ServiceId of the silos (default {ClusterIdentity.DefaultServiceId}, or $AVIARY_SERVICE_ID)",
        Recursive = true,
    };

    public static readonly Option<string> Server = new("--server")
    {
        Description = $"The silo's HTTP API (default {ApiConnection.DefaultServer}, or $AVIARY_SERVER)",
        Recursive = true,
    };

    public static readonly Option<string> Token = new("--token")
    {
        Description = "API key or bearer token (or $AVIARY_TOKEN; default: the token file)",
        Recursive = true,
    };

    public static readonly Option<string> TokenFile = new("--token-file")
    {
        Description = "File holding the API key (or $AVIARY_TOKEN_FILE; default: the admin key a silo started here wrote, data/admin.key)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("aviary: canary rollouts on an Aviary cluster");
        root.Add(Gateway);
        root.Add(ConnectionString);
        root.Add(OutputFormat);
        root.Add(ClusterId);
        root.Add(ServiceId);
        root.Add(Server);
        root.Add(Token);
        root.Add(TokenFile);
        root.Add(ServiceCommands.Create());
        root.Add(DeployCommand.Create());
        root.Add(LoadCommand.Create());
        root.Add(SplitCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(HistoryCommand.Create());
        root.Add(WatchCommand.Create());
        foreach (var command in ControlCommands.Create())
            root.Add(command);
        root.Add(SimulateCommand.Create());
        root.Add(DemoCommand.Create());
        root.Add(WorkflowCommands.Create());
        root.Add(DeadLetterCommands.Create());
        root.Add(DeadLetterCommands.Agents());
        root.Add(DataCommands.Create());
        root.Add(AuditCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter stdout, TextWriter stderr)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {parse.Errors[0].Message}");
            return ExitCodes.InvalidInput;
        }
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration);
        }
        catch (Exception ex)
        {
            var (code, message) = Classify(ex);
            stderr.WriteLine($"error: {message}");
            if (Environment.GetEnvironmentVariable("AVIARY_DEBUG") is "1" or "true")
                stderr.WriteLine(ex.ToString());
            return code;
        }
    }

    /// <summary>Wraps a command body: options that every command shares, and cleanup.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handler(Func<CommandContext, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            var format = parse.GetValue(OutputFormat) ?? "text";
            if (format is not ("text" or "json"))
                throw new AviaryValidationException("output", $"must be 'text' or 'json' (got '{format}')");
            var gateway = parse.GetValue(Gateway)
                ?? Environment.GetEnvironmentVariable(GatewayAddress.EnvironmentVariable)
                ?? GatewayAddress.Default;
            // A pipe or a CI log has no width: Spectre's fallback of 80 columns splits table cells mid-word.
            if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
                AnsiConsole.Profile.Width = RedirectedWidth;
            var output = new Output(format == "json", AnsiConsole.Console, parse.InvocationConfiguration.Output);
            var identity = new ClusterIdentity(
                parse.GetValue(ClusterId) ?? Environment.GetEnvironmentVariable("AVIARY_CLUSTER_ID") ?? ClusterIdentity.DefaultClusterId,
                parse.GetValue(ServiceId) ?? Environment.GetEnvironmentVariable("AVIARY_SERVICE_ID") ?? ClusterIdentity.DefaultServiceId);
            // Flags win over the environment; two flags that contradict each other are refused.
            var connectionFlag = parse.GetValue(ConnectionString);
            if (!string.IsNullOrWhiteSpace(connectionFlag) && parse.GetValue(Gateway) is not null)
                throw new AviaryValidationException("gateway", "give either --gateway or --connection-string, not both");
            var connectionString = parse.GetValue(Gateway) is not null
                ? null
                : connectionFlag ?? Environment.GetEnvironmentVariable(GatewayAddress.ConnectionStringVariable);
            await using var context = new CommandContext(parse, output, gateway, string.IsNullOrWhiteSpace(connectionString) ? null : connectionString, identity,
                () => ApiConnection.Resolve(parse.GetValue(Server), parse.GetValue(Token), parse.GetValue(TokenFile)));
            return await body(context, cancellationToken);
        };

    public static (int Code, string Message) Classify(Exception ex) => ex switch
    {
        AviaryValidationException e => (ExitCodes.InvalidInput, e.Message),
        AviaryNotFoundException e => (ExitCodes.InvalidInput, e.Message),
        AviaryConflictException e => (ExitCodes.InvalidInput, e.Message),
        ClusterUnreachableException e => (ExitCodes.ClusterUnreachable, e.Message),
        NotAllowedException e => (ExitCodes.NotAllowed, e.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        Orleans.Runtime.OrleansException e => (ExitCodes.ClusterUnreachable, $"cluster: {e.Message}"),
        TimeoutException e => (ExitCodes.ClusterUnreachable, $"cluster: {e.Message}"),
        _ => (ExitCodes.InvalidInput, ex.Message),
    };
}

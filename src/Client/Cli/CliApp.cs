using System.CommandLine;
using Aviary.Client.Commands;
using Aviary.Errors;
using Spectre.Console;

namespace Aviary.Client.Cli;

/// <summary>The <c>aviary</c> command tree and the one place errors become exit codes.</summary>
public static class CliApp
{
    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = $"Silo gateway host:port (default {GatewayAddress.Default}, or ${GatewayAddress.EnvironmentVariable})",
        Recursive = true,
    };

    public static readonly Option<string> OutputFormat = new("--output", "-o")
    {
        Description = "Output format: text or json",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("aviary: canary rollouts on an Aviary cluster");
        root.Add(Gateway);
        root.Add(OutputFormat);
        root.Add(DeployCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(HistoryCommand.Create());
        root.Add(WatchCommand.Create());
        foreach (var command in ControlCommands.Create())
            root.Add(command);
        root.Add(SimulateCommand.Create());
        root.Add(DemoCommand.Create());
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
            var output = new Output(format == "json", AnsiConsole.Console, parse.InvocationConfiguration.Output);
            await using var context = new CommandContext(parse, output, gateway);
            return await body(context, cancellationToken);
        };

    public static (int Code, string Message) Classify(Exception ex) => ex switch
    {
        AviaryValidationException e => (ExitCodes.InvalidInput, e.Message),
        AviaryNotFoundException e => (ExitCodes.InvalidInput, e.Message),
        AviaryConflictException e => (ExitCodes.InvalidInput, e.Message),
        ClusterUnreachableException e => (ExitCodes.ClusterUnreachable, e.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        Orleans.Runtime.OrleansException e => (ExitCodes.ClusterUnreachable, $"cluster: {e.Message}"),
        TimeoutException e => (ExitCodes.ClusterUnreachable, $"cluster: {e.Message}"),
        _ => (ExitCodes.InvalidInput, ex.Message),
    };
}

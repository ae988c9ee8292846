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

    public static readonly Option<string> OutputFormat = new("--output", "-o")
    {
        Description = "Output format: text or json",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    public static readonly Option<string> Server = new("--server")
    {
        Description = $"The silo's HTTP API, or several separated by commas (tried in turn) (default {ApiConnection.DefaultServer}, or $AVIARY_SERVER)",
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
        root.Add(OutputFormat);
        root.Add(Server);
        root.Add(Token);
        root.Add(TokenFile);
        root.Add(ServiceCommands.Create());
        root.Add(DeployCommand.Create());
        root.Add(LoadCommand.Create());
        root.Add(SplitCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(GuardrailCommands.Queue());
        root.Add(GuardrailCommands.Guardrails());
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
        root.Add(WebhookCommands.Create());
        root.Add(ModelCommands.Create());
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
            // A pipe or a CI log has no width: Spectre's fallback of 80 columns splits table cells mid-word.
            if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
                AnsiConsole.Profile.Width = RedirectedWidth;
            var output = new Output(format == "json", AnsiConsole.Console, parse.InvocationConfiguration.Output);
            using var context = new CommandContext(parse, output,
                () => ApiConnection.Resolve(parse.GetValue(Server), parse.GetValue(Token), parse.GetValue(TokenFile)));
            return await body(context, cancellationToken);
        };

    public static (int Code, string Message) Classify(Exception ex) => ex switch
    {
        AviaryValidationException e => (ExitCodes.InvalidInput, e.Message),
        AviaryNotFoundException e => (ExitCodes.InvalidInput, e.Message),
        AviaryConflictException e => (ExitCodes.InvalidInput, e.Message),
        ServerUnreachableException e => (ExitCodes.ServerUnreachable, e.Message),
        NotAllowedException e => (ExitCodes.NotAllowed, e.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        Polly.Timeout.TimeoutRejectedException => (ExitCodes.ServerUnreachable, "server: no answer within a minute"),
        TimeoutException e => (ExitCodes.ServerUnreachable, $"server: {e.Message}"),
        _ => (ExitCodes.InvalidInput, ex.Message),
    };
}

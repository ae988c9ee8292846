using System.CommandLine;
using Aviary.Client.Api;
using Spectre.Console;

namespace Aviary.Client.Cli;

/// <summary>What every command gets: its parse result, the output, and the silo's HTTP API, opened at first use.</summary>
public sealed class CommandContext(ParseResult parse, Output output, Func<ApiConnection> api) : IDisposable
{
    private ApiConnection? _api;

    /// <summary>The silo's HTTP API.</summary>
    public ApiConnection Api => _api ??= api();

    /// <summary>Deployments, rollouts and services.</summary>
    public RolloutClient Rollouts => new(Api);

    /// <summary>Workflow runs, dead letters and agent pools.</summary>
    public WorkflowClient Workflows => new(Api);

    public ParseResult Parse { get; } = parse;

    public Output Output { get; } = output;

    public IAnsiConsole Console => Output.Console;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _api?.Dispose();
}

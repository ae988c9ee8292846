using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Errors;
using Aviary.Workflows;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary dlq list|show|retry|purge</c> and <c>aviary agents list</c>.</summary>
public static class DeadLetterCommands
{
    public static Command Create()
    {
        var dlq = new Command("dlq", "The dead-letter queue: tasks that failed their last attempt");

        var list = new Command("list", "Every dead-lettered task");
        list.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var entries = await context.Workflows.DeadLettersAsync();
            context.Output.Write(entries, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("key").AddColumn("agent").AddColumn("attempts").AddColumn("error");
                foreach (var e in entries)
                    table.AddRow(Markup.Escape(e.Key), Markup.Escape(e.Agent), e.Attempts.ToString(), Markup.Escape($"{e.ErrorKind}: {e.Error}"));
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        dlq.Add(list);

        var showKey = new Argument<string>("key") { Description = "run:task" };
        var show = new Command("show", "One entry: error, attempts, input") { showKey };
        show.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var entry = await context.Workflows.DeadLetterAsync(context.Value(showKey));
            context.Output.Write(entry, c =>
            {
                c.MarkupLineInterpolated($"[bold]{entry.Key}[/] ({entry.Agent}), {entry.Attempts} attempt(s), {entry.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}");
                c.MarkupLineInterpolated($"error: {entry.ErrorKind}: {entry.Error}");
                foreach (var (k, v) in entry.Input)
                    c.MarkupLineInterpolated($"input.{k} = {v}");
            });
            return ExitCodes.Ok;
        }));
        dlq.Add(show);

        var retryKey = new Argument<string?>("key") { Description = "run:task (leave out with --all)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Retry every entry" };
        var retry = new Command("retry", "Give dead-lettered tasks a fresh set of attempts in their runs") { retryKey, all };
        retry.SetAction(CliApp.Handler(async (context, ct) =>
        {
            if (!context.Value(all) && context.Value(retryKey) is null)
                throw new AviaryValidationException("key", "give run:task, or --all");
            var result = await context.Workflows.RetryDeadLettersAsync(context.Value(retryKey), context.Value(all));
            var (retried, refused) = (result.Retried, result.NotRetried);
            context.Output.Write(result, c =>
            {
                c.MarkupLineInterpolated($"retried {retried.Count} task(s)");
                foreach (var r in refused)
                    c.MarkupLineInterpolated($"[yellow]not retried[/] {r.Key}: {r.Reason}");
            });
            return refused.Count == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
        }));
        dlq.Add(retry);

        var purge = new Command("purge", "Remove every entry");
        purge.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var count = await context.Workflows.PurgeDeadLettersAsync();
            context.Output.Write(new { purged = count }, c => c.MarkupLineInterpolated($"purged {count} entr{(count == 1 ? "y" : "ies")}"));
            return ExitCodes.Ok;
        }));
        dlq.Add(purge);
        return dlq;
    }

    public static Command Agents()
    {
        var agents = new Command("agents", "Agent pools");
        var list = new Command("list", "Pools: workers, queue, breaker state, cost");
        list.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var views = await context.Workflows.AgentPoolsAsync();
            context.Output.Write(views, c =>
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn("agent").AddColumn("workers").AddColumn("busy").AddColumn("queued").AddColumn("breaker")
                    .AddColumn("succeeded").AddColumn("failed").AddColumn("cache hits")
                    .AddColumn("wall").AddColumn("cpu").AddColumn("allocated").AddColumn("peak heap");
                foreach (var v in views)
                {
                    table.AddRow(v.Agent, $"{v.Workers} ({v.MinWorkers}–{v.MaxWorkers})", v.Busy.ToString(), v.Queued.ToString(), v.Breaker.ToString(),
                        v.Succeeded.ToString(), v.Failed.ToString(), v.CacheHits.ToString(),
                        CostText.Wall(v.Use), CostText.Cpu(v.Use), CostText.Bytes(v.Use.AllocatedBytes), CostText.Bytes(v.Use.PeakHeapBytes));
                }
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        agents.Add(list);
        return agents;
    }
}

using System.CommandLine;
using System.Threading.Channels;
using Aviary.Client.Cli;
using Aviary.Client.Rendering;
using Aviary.Errors;
using Aviary.Workflows;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary workflow run|status|watch|cancel|list</c>.</summary>
public static class WorkflowRunCommands
{
    public static IEnumerable<Command> Create()
    {
        var file = new Argument<string>("file") { Description = "Plan file (.yaml, .yml or .json)" };
        var id = new Option<string>("--id") { Description = "Run id (default: plan name and a random suffix)" };
        var input = new Option<string>("--input") { Description = "Value substituted for ${input} in task inputs (a path that exists here goes as an absolute path: the silo has its own working directory)" };
        var watch = new Option<bool>("--watch") { Description = "Follow the run; exit 3 if it fails or is cancelled" };
        var run = new Command("run", "Start a workflow run") { file, id, input, watch };
        run.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var plan = Substitute(PlanFile.Load(context.Value(file)), InputValue(context.Value(input)));
            var runId = context.Value(id) ?? DefaultRunId(plan.Name);
            Identifiers.ValidateRunId(runId);
            var workflows = context.Workflows;
            if (!context.Value(watch))
            {
                var view = await workflows.StartAsync(runId, plan, ct);
                context.Output.Write(view, c => Summary(c, view));
                return ExitCodes.Ok;
            }
            // The feed is open before the start, so the first tasks' events are not missed.
            return await WatchAsync(context, runId, () => workflows.StartAsync(runId, plan, ct), ct);
        }));
        yield return run;

        var statusId = new Argument<string>("run") { Description = "Run id" };
        var status = new Command("status", "Show a run and its tasks") { statusId };
        status.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var view = await context.Workflows.GetAsync(context.Value(statusId));
            context.Output.Write(view, c => Details(c, view));
            return ExitCodes.Ok;
        }));
        yield return status;

        var watchId = new Argument<string>("run") { Description = "Run id" };
        var watchCommand = new Command("watch", "Follow a run live; exit 3 if it fails or is cancelled") { watchId };
        watchCommand.SetAction(CliApp.Handler(async (context, ct) =>
            await WatchAsync(context, context.Value(watchId), start: null, ct)));
        yield return watchCommand;

        var cancelId = new Argument<string>("run") { Description = "Run id" };
        var cancel = new Command("cancel", "Cancel a run: what has not finished will not run") { cancelId };
        cancel.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var view = await context.Workflows.CancelAsync(context.Value(cancelId));
            context.Output.Write(view, c => Summary(c, view));
            return ExitCodes.Ok;
        }));
        yield return cancel;

        var list = new Command("list", "Recent runs, newest last");
        list.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var views = await context.Workflows.ListAsync();
            context.Output.Write(views, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("run").AddColumn("plan").AddColumn("status").AddColumn("tasks done").AddColumn("started");
                foreach (var v in views)
                    table.AddRow(Markup.Escape(v.RunId), Markup.Escape(v.Name), v.Status.ToString(), $"{v.Count(TaskRunStatus.Succeeded)}/{v.Tasks.Length}", v.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"));
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        yield return list;
    }

    /// <summary>An input that names a file or folder here is sent as its absolute path, which the silo can read from its own working directory.</summary>
    public static string? InputValue(string? input) =>
        input is { Length: > 0 } && (File.Exists(input) || Directory.Exists(input)) ? Path.GetFullPath(input) : input;

    /// <summary>The plan's name made into a run id (characters a run id may not hold become '-'), with a random suffix.</summary>
    public static string DefaultRunId(string planName)
    {
        var name = string.Concat(planName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-'));
        if (name.Length == 0 || !char.IsAsciiLetterOrDigit(name[0]))
            name = "run-" + name;
        return $"{name[..Math.Min(name.Length, 80)]}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    public static WorkflowPlan Substitute(WorkflowPlan plan, string? input) => PlanFile.WithInput(plan, input);

    private static async Task<int> WatchAsync(CommandContext context, string runId, Func<Task>? start, CancellationToken cancellationToken)
    {
        var workflows = context.Workflows;
        if (start is null)
            await workflows.GetAsync(runId, cancellationToken); // an unknown run: exit 1 before waiting on anything
        await using var feed = await EventFeed.OpenAsync(context.Api, $"kind=workflow&run={Uri.EscapeDataString(runId)}", cancellationToken);
        var events = Channel.CreateUnbounded<WorkflowEvent>();
        using var pump = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumping = PumpAsync(feed, runId, events.Writer, pump.Token);
        WorkflowView view;
        var ended = false;
        Task Show(WorkflowEvent e)
        {
            ended |= IsFinal(e);
            if (context.Output.Json)
                context.Output.WriteJson(e);
            else
                context.Output.Line($"{e.At.ToLocalTime():HH:mm:ss} {e.RunId} {e.Kind,-15} {e.TaskId ?? "",-24} {e.Message}");
            return Task.CompletedTask;
        }
        static bool IsFinal(WorkflowEvent e) => e.Kind == "completed";
        try
        {
            if (start is not null)
                await start();
            while (true)
            {
                // The stored run decides when the watch ends; events fill in how it got there.
                view = await TransientCalls.RunAsync(ct => workflows.GetAsync(runId, ct), cancellationToken);
                while (events.Reader.TryRead(out var e))
                    await Show(e);
                if (view.Status != WorkflowStatus.Running)
                {
                    if (!ended)
                        await LiveEvents.DrainUntilFinalAsync(events.Reader, Show, IsFinal, cancellationToken);
                    break;
                }
                // Events, or after a quiet second a look at the run again.
                await LiveEvents.WaitAsync(events.Reader, TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        finally
        {
            await pump.CancelAsync();
            await pumping;
        }
        context.Output.Write(view, c => Details(c, view));
        return view.Status == WorkflowStatus.Succeeded ? ExitCodes.Ok : ExitCodes.RolloutFailed;
    }

    /// <summary>The feed's workflow events of this run, one by one.</summary>
    private static async Task PumpAsync(EventFeed feed, string runId, ChannelWriter<WorkflowEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in feed.Messages.ReadAllAsync(cancellationToken))
            {
                if (message is { Kind: "workflow", Type: "events" } && message.Run == runId)
                {
                    foreach (var e in message.As<WorkflowEventsMessage>().Events)
                        events.TryWrite(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private sealed record WorkflowEventsMessage(string RunId, WorkflowEvent[] Events);

    private static void Summary(IAnsiConsole console, WorkflowView v) =>
        console.MarkupLineInterpolated($"[bold]{v.RunId}[/] ({v.Name}): {v.Status}, {v.Count(TaskRunStatus.Succeeded)}/{v.Tasks.Length} tasks done");

    private static void Details(IAnsiConsole console, WorkflowView v)
    {
        Summary(console, v);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("task").AddColumn("status").AddColumn("attempts")
            .AddColumn("wall").AddColumn("cpu").AddColumn("allocated").AddColumn("peak heap").AddColumn("error");
        foreach (var t in v.Tasks)
        {
            table.AddRow(Markup.Escape(t.Id), t.Status.ToString(), t.Attempts.ToString(),
                CostText.Wall(t.Use), CostText.Cpu(t.Use), CostText.Bytes(t.Use.AllocatedBytes), CostText.Bytes(t.Use.PeakHeapBytes),
                Markup.Escape(t.Error ?? ""));
        }
        table.AddRow("[bold]total[/]", "", v.Tasks.Sum(t => t.Attempts).ToString(),
            CostText.Wall(v.Use), CostText.Cpu(v.Use), CostText.Bytes(v.Use.AllocatedBytes), CostText.Bytes(v.Use.PeakHeapBytes), "");
        console.Write(table);
    }
}

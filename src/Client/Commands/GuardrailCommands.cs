using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aviary.Client.Cli;
using Aviary.Guardrails;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// <c>aviary queue</c> (rollouts holding slots, deploys waiting in order, the freeze in force),
/// <c>aviary queue withdraw S</c>, and <c>aviary guardrails show|set FILE</c>.
/// </summary>
public static class GuardrailCommands
{
    public static Command Queue()
    {
        var command = new Command("queue", "Rollouts holding a slot and deploys waiting in the release queue, in order");
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var queue = await context.Rollouts.QueueAsync(ct);
            context.Output.Write(queue, c => Render(c, queue));
            return ExitCodes.Ok;
        }));

        var service = new Argument<string>("service") { Description = "Service whose queued deploy to withdraw" };
        var reason = new Option<string>("--reason") { Description = "Why (kept in its release history)" };
        var withdraw = new Command("withdraw", "Withdraw a service's deploy from the release queue; deploys waiting for it are cancelled") { service, reason };
        withdraw.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var view = await context.Rollouts.WithdrawAsync(context.Value(service), context.Value(reason) ?? "", ct);
            context.Output.Write(view, c => c.MarkupLineInterpolated($"[yellow]{view.Service}: queued deploy withdrawn[/]"));
            return ExitCodes.Ok;
        }));
        command.Add(withdraw);
        return command;
    }

    public static Command Guardrails()
    {
        var command = new Command("guardrails", "Release rules: freeze windows, limits on active rollouts, approval rules");
        var show = new Command("show", "The guardrails in force");
        show.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var policy = await context.Rollouts.GetGuardrailsAsync(ct);
            context.Output.Write(policy, c => Render(c, policy));
            return ExitCodes.Ok;
        }));
        var file = new Argument<FileInfo>("file") { Description = "A JSON file: {\"freezes\": [...], \"maxActiveRollouts\": N, \"groups\": [...], \"approvals\": [...]} (docs/guardrails.md)" };
        var set = new Command("set", "Replace the guardrails with a file's (admin)") { file };
        set.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var path = context.Value(file);
            if (!path.Exists)
                throw new Errors.AviaryValidationException("file", $"'{path.FullName}' does not exist");
            GuardrailPolicy? policy;
            try
            {
                policy = JsonSerializer.Deserialize<GuardrailPolicy>(await File.ReadAllTextAsync(path.FullName, ct), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            }
            catch (JsonException ex)
            {
                throw new Errors.AviaryValidationException(ex.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "file", $"is not valid JSON for guardrails: {ex.Message}");
            }
            var stored = await context.Rollouts.SetGuardrailsAsync(GuardrailPolicyValidator.Validate(policy), ct);
            context.Output.Write(stored, c => Render(c, stored));
            return ExitCodes.Ok;
        }));
        command.Add(show);
        command.Add(set);
        return command;
    }

    private static void Render(IAnsiConsole console, ReleaseQueueView queue)
    {
        if (queue.Freeze is { } freeze)
            console.MarkupLineInterpolated($"[red]{freeze.Describe()}[/]");
        console.MarkupLine(queue.MaxActiveRollouts > 0 ? $"{queue.Active.Length} of {queue.MaxActiveRollouts} rollouts active" : $"{queue.Active.Length} rollouts active (no cluster limit)");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("rollout").AddColumn("version").AddColumn("since").AddColumn("state");
        foreach (var a in queue.Active)
            table.AddRow("-", Markup.Escape(a.RolloutId), Markup.Escape(a.Version), Time(a.Since), "[green]active[/]");
        var position = 1;
        foreach (var q in queue.Queued)
            table.AddRow((position++).ToString(CultureInfo.InvariantCulture), Markup.Escape(q.RolloutId), Markup.Escape(q.Version), Time(q.QueuedAt), "[yellow]" + Markup.Escape(q.Waiting) + "[/]");
        console.Write(table);
    }

    private static void Render(IAnsiConsole console, GuardrailPolicy policy)
    {
        console.MarkupLine(policy.MaxActiveRollouts > 0 ? $"at most {policy.MaxActiveRollouts} rollouts active in the cluster" : "no cluster-wide limit on active rollouts");
        foreach (var f in policy.Freezes)
        {
            var when = f.IsRecurring ? $"cron '{f.Cron}' for {f.Duration} ({f.TimeZone ?? "UTC"})" : $"{f.From:u} until {f.Until:u}";
            console.MarkupLineInterpolated($"freeze [bold]{f.Name}[/]: {when}{(f.Reason.Length > 0 ? " — " + f.Reason : "")}");
        }
        foreach (var g in policy.Groups)
            console.MarkupLineInterpolated($"group [bold]{g.Name}[/]: at most {g.MaxActive} active of {string.Join(", ", g.Services)}");
        foreach (var a in policy.Approvals)
            console.MarkupLineInterpolated($"[bold]{a.Service}[/] needs {a.Required} approver(s) besides the deployer");
    }

    private static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

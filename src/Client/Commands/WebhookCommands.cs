using System.CommandLine;
using Aviary.Client.Api;
using Aviary.Client.Cli;
using Aviary.Errors;
using Aviary.Webhooks;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary webhook add|list|show|remove|deliveries|test</c>: who hears of rollouts and runs, and how deliveries went.</summary>
public static class WebhookCommands
{
    public static Command Create()
    {
        var command = new Command("webhook", "Webhooks: signed HTTP calls on rollout and workflow events, gating hooks, chat notifications");
        command.Add(Add());
        command.Add(List());
        command.Add(Show());
        command.Add(Remove());
        command.Add(Deliveries());
        command.Add(Test());
        return command;
    }

    private static Argument<string> Id() => new("id") { Description = "The webhook's name" };

    private static Command Add()
    {
        var id = Id();
        var url = new Option<string>("--url") { Description = "Where to POST (absolute http or https URL)", Required = true };
        var events = new Option<string>("--events") { Description = $"Comma-separated: {string.Join(", ", WebhookEvents.All)}", Required = true };
        var service = new Option<string>("--service") { Description = "Only this service's rollouts (default: every service and every workflow run)" };
        var format = new Option<string>("--format") { Description = "json (default), slack or teams" };
        var timeout = new Option<string>("--timeout") { Description = "Per attempt, and for gating calls (default 5s, at most 10s)" };
        var attempts = new Option<int?>("--max-attempts") { Description = "Attempts per delivery (default 5, at most 10)" };
        var secret = new Option<string>("--secret") { Description = "The signing secret (default: one is generated and shown once)" };
        var command = new Command("add", "Add a webhook; its signing secret is shown this once") { id, url, events, service, format, timeout, attempts, secret };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var spec = WebhookSpecValidator.Validate(new WebhookSpec
            {
                Id = context.Value(id),
                Url = context.Value(url),
                Service = context.Value(service),
                Events = context.Value(events).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Format = context.Value(format) switch
                {
                    null or "json" => WebhookFormat.Json,
                    "slack" => WebhookFormat.Slack,
                    "teams" => WebhookFormat.Teams,
                    var other => throw new AviaryValidationException("format", $"must be json, slack or teams (got '{other}')"),
                },
                Timeout = context.Value(timeout) is { } t ? Durations.Parse("timeout", t) : WebhookSpecValidator.DefaultTimeout,
                MaxAttempts = context.Value(attempts) ?? WebhookSpecValidator.DefaultMaxAttempts,
            });
            var created = await new WebhookClient(context.Api).AddAsync(spec, context.Value(secret), ct);
            context.Output.Write(created, c =>
            {
                c.MarkupLine($"webhook [bold]{Markup.Escape(spec.Id)}[/] added: {Markup.Escape(string.Join(", ", created.Webhook.Spec.Events))} → {Markup.Escape(spec.Url)}");
                c.MarkupLine($"secret (shown once; receivers check X-Aviary-Signature with it): [bold]{Markup.Escape(created.Secret)}[/]");
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the webhooks (operator)");
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var all = await new WebhookClient(context.Api).ListAsync(ct);
            context.Output.Write(all, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("id").AddColumn("scope").AddColumn("events").AddColumn("format").AddColumn("url").AddColumn("pending").AddColumn("last delivery");
                foreach (var v in all)
                    table.AddRow(Markup.Escape(v.Spec.Id), Markup.Escape(v.Spec.Service ?? "(global)"), Markup.Escape(string.Join(", ", v.Spec.Events)),
                        v.Spec.Format.ToString().ToLowerInvariant(), Markup.Escape(v.Spec.Url), v.Pending.ToString(), Last(v.LastDelivery));
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = Id();
        var command = new Command("show", "Show a webhook (never its secret)") { id };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var v = await new WebhookClient(context.Api).GetAsync(context.Value(id), ct);
            context.Output.Write(v, c =>
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("url", Markup.Escape(v.Spec.Url));
                grid.AddRow("scope", Markup.Escape(v.Spec.Service ?? "(global)"));
                grid.AddRow("events", Markup.Escape(string.Join(", ", v.Spec.Events)));
                grid.AddRow("format", v.Spec.Format.ToString().ToLowerInvariant());
                grid.AddRow("timeout", Durations.Format(v.Spec.Timeout));
                grid.AddRow("max attempts", v.Spec.MaxAttempts.ToString());
                grid.AddRow("pending", v.Pending.ToString());
                grid.AddRow("last delivery", Last(v.LastDelivery));
                c.Write(new Panel(grid).Header(Markup.Escape(v.Spec.Id)));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove()
    {
        var id = Id();
        var command = new Command("remove", "Remove a webhook, its secret and its undelivered events") { id };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = context.Value(id);
            await new WebhookClient(context.Api).RemoveAsync(name, ct);
            context.Output.Write(new { id = name, removed = true }, c => c.MarkupLine($"webhook {Markup.Escape(name)} removed"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Deliveries()
    {
        var id = Id();
        var command = new Command("deliveries", "A webhook's last deliveries, newest first: status or error, latency, attempts") { id };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var log = await new WebhookClient(context.Api).DeliveriesAsync(context.Value(id), ct);
            context.Output.Write(log, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("at").AddColumn("event").AddColumn("delivery").AddColumn("outcome").AddColumn("latency").AddColumn("attempts");
                foreach (var d in log)
                    table.AddRow(d.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), Markup.Escape(d.Event), Markup.Escape(d.Id), Outcome(d), $"{d.LatencyMs:0} ms", d.Attempts.ToString());
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Test()
    {
        var id = Id();
        var command = new Command("test", "Send a test event (webhook.test); see the outcome with deliveries") { id };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var notice = await new WebhookClient(context.Api).TestAsync(context.Value(id), ct);
            context.Output.Write(notice, c => c.MarkupLine($"test event {Markup.Escape(notice.Id)} queued: [dim]aviary webhook deliveries {Markup.Escape(context.Value(id))}[/]"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Last(WebhookDelivery? d) => d is null ? "-" : $"{Markup.Escape(d.Event)} {Outcome(d)}";

    private static string Outcome(WebhookDelivery d) =>
        d.Delivered ? $"[green]{d.StatusCode}[/]" : $"[red]{Markup.Escape(d.Error ?? d.StatusCode?.ToString() ?? "failed")}[/]";
}

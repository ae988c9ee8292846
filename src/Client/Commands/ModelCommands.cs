using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Aviary.Client.Api;
using Aviary.Client.Cli;
using Aviary.Errors;
using Aviary.Models;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary model list|show|register|alias|compare|policy|monitor|feedback</c>: the model registry and the loop around it.</summary>
public static class ModelCommands
{
    public static Command Create()
    {
        var command = new Command("model", "Models: versions with figures and lineage, aliases, comparisons, policy, drift and quality monitor");
        command.Add(List());
        command.Add(Show());
        command.Add(Register());
        command.Add(Alias());
        command.Add(Compare());
        command.Add(Policy());
        command.Add(Monitor());
        command.Add(Feedback());
        return command;
    }

    private static Argument<string> ModelArgument() => new("model") { Description = "The model's name" };

    private static Command List()
    {
        var command = new Command("list", "List the models");
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var all = await new ModelClient(context.Api).ListAsync(ct);
            context.Output.Write(all, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("model").AddColumn("versions").AddColumn("latest").AddColumn("aliases").AddColumn("service");
                foreach (var m in all)
                    table.AddRow(Markup.Escape(m.Model), m.Versions.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Latest ?? "-"),
                        Markup.Escape(string.Join(", ", m.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} → {a.Value}"))), Markup.Escape(m.Service));
                c.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var model = ModelArgument();
        var version = new Argument<string?>("version") { Description = "A version or alias: show it in full (default: the model's versions)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show", "Show a model's versions, aliases and last events; or one version in full") { model, version };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var client = new ModelClient(context.Api);
            if (context.Value(version) is { } one)
            {
                var v = await client.GetVersionAsync(context.Value(model), one, ct);
                context.Output.Write(v, c => c.Write(VersionPanel(v)));
                return ExitCodes.Ok;
            }
            var m = await client.GetAsync(context.Value(model), ct);
            context.Output.Write(m, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("version").AddColumn("aliases").AddColumn("algorithm").AddColumn("held-out figures").AddColumn("trained on").AddColumn("run").AddColumn("registered");
                foreach (var v in m.Versions)
                {
                    var aliases = string.Join(", ", m.Aliases.Where(a => a.Value == v.Version).Select(a => a.Key).Order(StringComparer.Ordinal));
                    table.AddRow(Markup.Escape(v.Version), Markup.Escape(aliases), Markup.Escape(v.IsEnsemble ? $"{v.Algorithm}: {string.Join(" + ", v.Members)}" : $"{v.Algorithm} {v.Task}"),
                        Markup.Escape(v.DescribeMetrics()), v.IsEnsemble ? "-" : $"{v.Fingerprint.Rows:N0} rows {Markup.Escape(Short(v.Fingerprint.Sha256))}",
                        Markup.Escape(v.Run), v.RegisteredAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                }
                c.Write(table);
                foreach (var e in m.Events.TakeLast(10))
                    c.MarkupLine($"[grey]{e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}[/] {Markup.Escape(e.Kind.ToString())} {Markup.Escape(e.Message)} [grey]({Markup.Escape(e.By)})[/]");
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Register()
    {
        var model = ModelArgument();
        var card = new Option<string>("--card") { Description = "The model card to register (a trainer task's result, e.g. run-1/train.1.card.json)" };
        var run = new Option<string>("--run") { Description = "Or: the workflow run whose trainer task made the card" };
        var task = new Option<string>("--task") { Description = "With --run: the trainer task's id (default train)" };
        var members = new Option<string>("--members") { Description = "Or: an ensemble of registered versions, comma-separated" };
        var combine = new Option<string>("--combine") { Description = "With --members: mean (numbers, probabilities) or vote (binary labels)" };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the version)" };
        var command = new Command("register", "Register a trained version (from its card or run), or an ensemble of versions") { model, card, run, task, members, combine, reason };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var list = context.Value(members)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var v = await new ModelClient(context.Api).RegisterAsync(context.Value(model), new
            {
                card = context.Value(card),
                run = context.Value(run),
                task = context.Value(task),
                members = list,
                combine = context.Value(combine),
                reason = context.Value(reason),
            }, ct);
            context.Output.Write(v, c => c.MarkupLine($"{Markup.Escape(context.Value(model))} [bold]{Markup.Escape(v.Version)}[/] registered: {Markup.Escape(v.DescribeMetrics())}"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Alias()
    {
        var model = ModelArgument();
        var alias = new Argument<string>("alias") { Description = "The alias, e.g. champion" };
        var version = new Argument<string?>("version") { Description = "The version (or alias) it points at", Arity = ArgumentArity.ZeroOrOne };
        var remove = new Option<bool>("--remove") { Description = "Remove the alias instead" };
        var reason = new Option<string>("--reason") { Description = "Why (kept in the model's events)" };
        var command = new Command("alias", "Point an alias at a version, or remove it") { model, alias, version, remove, reason };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var client = new ModelClient(context.Api);
            var name = context.Value(alias);
            var target = context.Value(version);
            if (context.Value(remove) == (target is not null))
                throw new AviaryValidationException("version", "give a version to point the alias at, or --remove (not both)");
            var m = target is null
                ? await client.RemoveAliasAsync(context.Value(model), name, ct)
                : await client.SetAliasAsync(context.Value(model), name, target, context.Value(reason), ct);
            context.Output.Write(m, c => c.MarkupLine(m.Aliases.TryGetValue(name, out var to) ? $"{Markup.Escape(name)} → [bold]{Markup.Escape(to)}[/]" : $"{Markup.Escape(name)} removed"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Compare()
    {
        var model = ModelArgument();
        var champion = new Argument<string>("champion") { Description = "Version or alias (e.g. champion)" };
        var challenger = new Argument<string>("challenger") { Description = "Version or alias (e.g. v3)" };
        var margin = new Option<double?>("--margin") { Description = "How much better the challenger must be (default: the model's policy, 0.02)" };
        var holdout = new Option<string>("--holdout") { Description = "Held-out rows to score both on (default: the challenger's)" };
        var command = new Command("compare", "Score two versions on the same held-out rows; exit 0 when the challenger is better by the margin, 5 when not") { model, champion, challenger, margin, holdout };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var r = await new ModelClient(context.Api).CompareAsync(context.Value(model), context.Value(champion), context.Value(challenger), context.Value(margin), context.Value(holdout), ct);
            context.Output.Write(r, c =>
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(Markup.Escape(r.Champion)).AddColumn(Markup.Escape(r.Challenger));
                foreach (var name in r.ChampionMetrics.Keys.Union(r.ChallengerMetrics.Keys).Order(StringComparer.Ordinal))
                    table.AddRow(name == r.Metric ? $"[bold]{name}[/]" : name, Figure(r.ChampionMetrics, name), Figure(r.ChallengerMetrics, name));
                c.Write(table);
                c.MarkupLine($"{(r.ChallengerBetter ? "[green]better[/]" : "[yellow]not better[/]")}: {Markup.Escape(r.Reason)} ({r.Rows:N0} rows of {Markup.Escape(r.Holdout)})");
            });
            return r.ChallengerBetter ? ExitCodes.Ok : ExitCodes.NotBetter;
        }));
        return command;
    }

    private static Command Policy()
    {
        var model = ModelArgument();
        var file = new Argument<FileInfo>("file")
        {
            Description = "A JSON file of the policy's fields (docs/models.md); \"retrainPlanFile\": \"plan.yaml\" inlines a plan file as retrainPlan",
        };
        var command = new Command("policy", "Set how Aviary looks after a model: serving URL, drift, retraining, rollout, quality floor") { model, file };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var path = context.Value(file);
            if (!path.Exists)
                throw new AviaryValidationException("file", $"'{path.FullName}' does not exist");
            JsonObject body;
            try
            {
                body = JsonNode.Parse(await File.ReadAllTextAsync(path.FullName, ct)) as JsonObject
                    ?? throw new AviaryValidationException("file", "must hold a JSON object");
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new AviaryValidationException("file", $"is not JSON: {ex.Message}");
            }
            if (body["retrainPlanFile"]?.GetValue<string>() is { } planFile)
            {
                var planPath = Path.IsPathRooted(planFile) ? planFile : Path.Combine(path.DirectoryName!, planFile);
                if (!File.Exists(planPath))
                    throw new AviaryValidationException("retrainPlanFile", $"'{planPath}' does not exist");
                body.Remove("retrainPlanFile");
                body["retrainPlan"] = await File.ReadAllTextAsync(planPath, ct);
            }
            var m = await new ModelClient(context.Api).SetPolicyAsync(context.Value(model), body.ToJsonString(), ct);
            context.Output.Write(m, c => c.MarkupLine($"policy of [bold]{Markup.Escape(m.Model)}[/] set: {Markup.Escape(m.Events.LastOrDefault()?.Message ?? "")}"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Monitor()
    {
        var model = ModelArgument();
        var check = new Option<bool>("--check") { Description = "Run a check now (operator) instead of showing the last one" };
        var command = new Command("monitor", "What the model's monitor last saw (drift per feature, quality) and what it is doing") { model, check };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var client = new ModelClient(context.Api);
            var m = await client.MonitorAsync(context.Value(model), context.Value(check), ct);
            var live = await client.TelemetryAsync(context.Value(model), null, ct);
            context.Output.Write(new { monitor = m, telemetry = live }, c =>
            {
                c.MarkupLine($"[bold]{Markup.Escape(context.Value(model))}[/]: {Markup.Escape(m.Phase)}, serving {Markup.Escape(m.Serving ?? "-")}, last good {Markup.Escape(m.LastGood ?? "-")}"
                    + (m.Candidate is null ? "" : $", candidate {Markup.Escape(m.Candidate)}") + (m.RetrainRun is null ? "" : $", retraining run {Markup.Escape(m.RetrainRun)}"));
                c.MarkupLine(Markup.Escape(m.Note));
                if (m.Drift.Length > 0)
                {
                    var drift = new Table().Border(TableBorder.Rounded).AddColumn("feature").AddColumn("PSI").AddColumn("band").AddColumn("test").AddColumn("p").AddColumn("live").AddColumn("drifted");
                    foreach (var f in m.Drift)
                        drift.AddRow(Markup.Escape(f.Feature), f.Psi.ToString("0.000", CultureInfo.InvariantCulture), f.Band, f.Test, f.PValue.ToString("0.####", CultureInfo.InvariantCulture), f.Live.ToString("N0", CultureInfo.InvariantCulture), f.Drifted ? "[red]yes[/]" : "no");
                    c.Write(drift);
                }
                var versions = new Table().Border(TableBorder.Rounded).AddColumn("version").AddColumn("requests").AddColumn("shadow").AddColumn("quality").AddColumn("labels").AddColumn("agreement");
                foreach (var v in live.Versions)
                    versions.AddRow(Markup.Escape(v.Version), v.Requests.ToString("N0", CultureInfo.InvariantCulture), v.ShadowRequests.ToString("N0", CultureInfo.InvariantCulture),
                        v.Quality.Labels == 0 ? "-" : $"{v.Quality.Metric} {v.Quality.Value.ToString("0.###", CultureInfo.InvariantCulture)}", v.Quality.Labels.ToString("N0", CultureInfo.InvariantCulture),
                        v.Agreement.Compared == 0 ? "-" : $"{(v.Agreement.Rate * 100).ToString("0.#", CultureInfo.InvariantCulture)} % of {v.Agreement.Compared:N0}");
                c.Write(versions);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Feedback()
    {
        var model = ModelArgument();
        var requestId = new Argument<string>("request-id") { Description = "The prediction's request id (x-request-id of its answer)" };
        var value = new Argument<string>("value") { Description = "The true value: a number, or true/false" };
        var command = new Command("feedback", "Send the true value for an earlier prediction") { model, requestId, value };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var text = context.Value(value);
            object parsed = text is "true" or "false" ? text == "true"
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
                : throw new AviaryValidationException("value", $"must be a number or true/false (got '{text}')");
            var accepted = await new ModelClient(context.Api).FeedbackAsync(context.Value(model), new { requestId = context.Value(requestId), value = parsed }, ct);
            context.Output.Write(accepted, c => c.MarkupLine($"{accepted.Labels} label recorded"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Panel VersionPanel(ModelVersionView v)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("task", Markup.Escape($"{v.Algorithm} {v.Task} of {v.Target}"));
        grid.AddRow("features", Markup.Escape(string.Join(", ", v.Features)));
        grid.AddRow("held-out", Markup.Escape(v.DescribeMetrics()));
        grid.AddRow("parameters", Markup.Escape(string.Join(", ", v.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))));
        if (v.IsEnsemble)
            grid.AddRow("members", Markup.Escape($"{string.Join(", ", v.Members)} ({v.Combine})"));
        else
        {
            grid.AddRow("trained on", Markup.Escape($"{v.Fingerprint.Rows:N0} rows, sha256 {v.Fingerprint.Sha256}"));
            grid.AddRow("columns", Markup.Escape(string.Join(", ", v.Fingerprint.Columns)));
            grid.AddRow("run", Markup.Escape($"{v.Run} (task {v.TrainTask})"));
            grid.AddRow("card", Markup.Escape(v.Card));
            grid.AddRow("held-out rows", Markup.Escape(v.Holdout));
        }
        grid.AddRow("registered", Markup.Escape($"{v.RegisteredAt.ToLocalTime():yyyy-MM-dd HH:mm:ss} by {v.RegisteredBy}" + (v.Reason.Length > 0 ? $": {v.Reason}" : "")));
        return new Panel(grid).Header(Markup.Escape(v.Version));
    }

    private static string Figure(Dictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}

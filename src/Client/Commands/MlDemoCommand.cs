using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Aviary.Agents.Models;
using Aviary.Client.Api;
using Aviary.Client.Cli;
using Aviary.Client.Traffic;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Routes;
using Aviary.Workflows;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>
/// <c>aviary demo ml</c>: a model's whole loop on real processes, in a few minutes. v1 is trained
/// (a workflow run, ML.NET), registered and served by a real model server behind the gateway;
/// live requests flow with their labels arriving later; the data shifts; the monitor finds the
/// drift, retrains, registers v2 (better on held-out rows), shadows it, canaries it to 100 % and
/// makes it champion; then a deliberately bad v3, rolled out by hand, rolls back on its live
/// quality. Every step is an event in the model's log, printed as it happens.
/// </summary>
public static class MlDemoCommand
{
    public const int RequestsPerSecond = 40;
    private static readonly string[] Labels = ["price", "churn"];
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model (and its service) the demo uses (default houses)", DefaultValueFactory = _ => "houses" };
        var command = new Command("ml", "A model's whole loop on real processes: train, serve, drift, retrain, shadow, canary, champion; a bad version rolls back (a few minutes)")
        {
            model, LoadCommand.Url,
        };
        command.SetAction(CliApp.Handler(async (context, ct) =>
        {
            var name = ModelNames.Validate(context.Value(model));
            var ops = context.Rollouts;
            var models = new ModelClient(context.Api);
            var runs = new WorkflowClient(context.Api);
            await CleanAsync(context, ops, name, ct);

            Say(context, "[bold]1[/] data: houses as they were, and as they will be (the silo writes both into its datasets folder)");
            var before = await GenerateAsync(context, 4_000, 1, 0, ct);
            var after = await GenerateAsync(context, 4_000, 2, 1, ct);

            Say(context, "[bold]2[/] training v1 (workflow examples/ml-lifecycle/train.yaml: data-loader → trainer)");
            var train = PlanFile.Parse(await File.ReadAllTextAsync(PlanPath("train.yaml"), ct), json: false, "train");
            var run1 = await RunAsync(runs, $"{name}-train-{Stamp()}", PlanFile.WithInput(train, before), ct);
            var v1 = await models.RegisterAsync(name, new { run = run1, reason = "the first version" }, ct);
            await models.SetAliasAsync(name, ModelAliases.Champion, v1.Version, "first", ct);
            Say(context, $"   {v1.Version} registered: {Markup.Escape(v1.DescribeMetrics("mae", "r2", "rmse"))}");

            Say(context, "[bold]3[/] serving: a model server process, the versions fetched from the registry, behind the gateway");
            var key = await context.Api.PostAsync<CreatedKeyDto>("/api/keys", new { name = $"{name}-model-server", role = "operator" }, ct);
            await using var server = await ModelServerProcess.StartAsync(name, context.Api.Server, key.Token, Path.Combine(Path.GetTempPath(), $"aviary-model-cache-{name}"), ct);
            await ops.ConfigureServiceAsync(name, ServiceRouting.ByName(name), ct);
            await ops.DeployAsync(name, v1.Version, RolloutPolicy.Default with { Stages = [100] }, [ModelServing.Destination(server.Url, v1.Version)], ct);
            await models.SetPolicyAsync(name, Policy(server.Url, after), ct);

            var plan = await LoadCommand.PlanAsync(context, name, RequestsPerSecond, "1h", "/predict", [], ct);
            // No cookies: every request is a new user to the gateway's stickiness, so a 25 % canary gets a quarter of them.
            using var gateway = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(plan.Target.GetLeftPart(UriPartial.Authority)) };
            await UntilRoutedAsync(gateway, plan.Host ?? name, ct);
            var traffic = new PredictionTraffic(gateway, plan.Host ?? name, models, name, "price", Labels);
            traffic.Use(ShiftingData.Generate(2_000, 3, 0));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = traffic.RunAsync(RequestsPerSecond, stop.Token);
            var log = new ModelEventLog(context, models, name);
            try
            {
                Say(context, $"[bold]4[/] live traffic: {RequestsPerSecond} predictions/s through the gateway, labels 3 s later");
                await log.UntilAsync(_ => traffic.Labelled >= 200, "labels for v1", ct);

                Say(context, "[bold]5[/] the world shifts: the same service now gets the new houses");
                traffic.Use(ShiftingData.Generate(2_000, 4, 1));
                var promoted = await log.UntilAsync(m => m.Events.Any(e => e.Kind == ModelEventKind.Promoted && e.Version != v1.Version), "drift → retraining → v2 champion", ct);
                var v2 = promoted.Events.Last(e => e.Kind == ModelEventKind.Promoted).Version!;

                Say(context, "[bold]6[/] a deliberately bad v3 (trained on the region alone), rolled out by hand");
                var bad = train with { Tasks = [.. train.Tasks.Select(t => t.Agent == AgentKinds.Trainer ? t with { Input = new(t.Input) { ["features"] = "region" } } : t)] };
                var run3 = await RunAsync(runs, $"{name}-bad-{Stamp()}", PlanFile.WithInput(bad, after), ct);
                var v3 = await models.RegisterAsync(name, new { run = run3, reason = "deliberately bad: the region alone" }, ct);
                Say(context, $"   {v3.Version} registered: {Markup.Escape(v3.DescribeMetrics("mae", "r2", "rmse"))}");
                await ops.DeployAsync(name, v3.Version, Canary, [ModelServing.Destination(server.Url, v3.Version)], ct);
                var rolledBack = await log.UntilAsync(m => m.Events.Any(e => e.Kind == ModelEventKind.RolledBack && e.Version == v3.Version), "v3 rolled back on its live quality", ct);

                await stop.CancelAsync();
                await load;
                var final = await models.GetAsync(name, ct);
                var champion = final.Aliases.GetValueOrDefault(ModelAliases.Champion);
                var ok = champion == v2 && (await ops.GetDeploymentAsync(name, ct)).StableVersion == v2;
                context.Output.Write(new { v1 = v1.Version, v2, v3 = v3.Version, champion, events = final.Events, requests = traffic.ByVersion, labels = traffic.Labelled, failed = traffic.Failed, ok }, c =>
                {
                    c.MarkupLine($"requests by version: {Markup.Escape(string.Join(", ", traffic.ByVersion.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value:N0}")))}; "
                        + $"{traffic.Labelled:N0} labels sent, {traffic.Failed:N0} requests failed");
                    c.MarkupLine(ok
                        ? $"[green]demo done:[/] {Markup.Escape(v2)} is champion after drift and retraining; {Markup.Escape(v3.Version)} rolled back on degraded quality"
                        : $"[red]demo did not go as expected[/]: champion {Markup.Escape(champion ?? "-")}");
                });
                return ok ? ExitCodes.Ok : ExitCodes.RolloutFailed;
            }
            finally
            {
                await stop.CancelAsync();
                await load;
            }
        }));
        return command;
    }

    /// <summary>The canary a release engineer would use by hand, short enough for a demo.</summary>
    private static readonly RolloutPolicy Canary = new()
    {
        Stages = [25, 50, 100],
        BakeTime = TimeSpan.FromSeconds(20),
        CheckInterval = TimeSpan.FromSeconds(2),
        MinSamples = 10,
    };

    /// <summary>The model's policy: checks every 2 s over 20 s windows, retraining on drift, shadow then canary, a quality floor.</summary>
    private static string Policy(string servingUrl, string retrainInput) => System.Text.Json.JsonSerializer.Serialize(new
    {
        servingUrl,
        checkInterval = "00:00:02",
        window = "00:00:20",
        minLiveSamples = 150,
        retrainPlan = File.ReadAllText(PlanPath("retrain.yaml")),
        retrainInput,
        retrainCooldown = "00:05:00",
        qualityFloor = 0.5,
        minLabels = 30,
        margin = 0.05,
        minAgreement = 0,
        canary = new { stages = new[] { 25, 50, 100 }, bakeTime = "00:00:06", checkInterval = "00:00:02", minSamples = 10 },
    });

    private static async Task CleanAsync(CommandContext context, RolloutClient ops, string name, CancellationToken ct)
    {
        var existing = (await ops.ListAsync(ct)).FirstOrDefault(d => d.Service == name);
        if (existing?.ActiveRolloutId is not null)
            await ops.AbortAsync(name, "demo restarted", ct);
        if (existing is not null)
            await ops.RemoveServiceAsync(name, ct);
        if ((await new ModelClient(context.Api).ListAsync(ct)).Any(m => m.Model == name))
            await context.Api.DeleteAsync($"/api/models/{Uri.EscapeDataString(name)}", ct);
    }

    private static async Task<string> GenerateAsync(CommandContext context, int rows, int seed, double shift, CancellationToken ct) =>
        (await context.Api.PostAsync<DataCommands.GeneratedDataset>("/api/data/generate", new { kind = "houses", rows, seed, shift }, ct)).Path;

    /// <summary>Runs a plan to its end; a failed run ends the demo with its reason.</summary>
    private static async Task<string> RunAsync(WorkflowClient runs, string id, WorkflowPlan plan, CancellationToken ct)
    {
        await runs.StartAsync(id, plan, ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(StepTimeout);
        while (true)
        {
            var view = await runs.GetAsync(id, deadline.Token);
            if (view.Status == WorkflowStatus.Succeeded)
                return id;
            if (view.Status is WorkflowStatus.Failed or WorkflowStatus.Cancelled)
                throw new Errors.AviaryConflictException("run", $"run {id} {view.Status.ToString().ToLowerInvariant()}: {string.Join("; ", view.Tasks.Where(t => t.Error is not null).Select(t => $"{t.Id}: {t.Error}"))}");
            await Task.Delay(250, deadline.Token);
        }
    }

    /// <summary>Waits until the gateway has the service's route (it follows route changes within a second) and v1 answers through it.</summary>
    private static async Task UntilRoutedAsync(HttpClient gateway, string host, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { features = Probe }) };
            request.Headers.Host = host;
            try
            {
                using var response = await gateway.SendAsync(request, deadline.Token);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // The gateway is not answering yet.
            }
            await Task.Delay(100, deadline.Token);
        }
    }

    private static readonly Dictionary<string, object> Probe = new() { ["sqft"] = 1500, ["age"] = 20, ["rooms"] = 4, ["distance"] = 8, ["region"] = "north" };

    private static string PlanPath(string file) => Path.Combine(AppContext.BaseDirectory, "ml-lifecycle", file);

    private static string Stamp() => DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    private static void Say(CommandContext context, string markup)
    {
        if (!context.Output.Json)
            context.Console.MarkupLine(markup);
    }

    private sealed record CreatedKeyDto(string Token);
}

using System.CommandLine;
using Aviary.Client.Cli;
using Aviary.Client.Workflows;
using Aviary.Workflows;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary><c>aviary workflow …</c>: plans, analysis and (as they land) runs.</summary>
public static class WorkflowCommands
{
    public static Command Create()
    {
        var workflow = new Command("workflow", "Workflows: DAGs of agent tasks");
        workflow.Add(PlanCommand());
        workflow.Add(FromImportsCommand());
        foreach (var command in WorkflowRunCommands.Create())
            workflow.Add(command);
        return workflow;
    }

    private static Command PlanCommand()
    {
        var file = new Argument<string>("file") { Description = "Plan file (.yaml, .yml or .json)" };
        var command = new Command("plan", "Validate a plan and show what can run in parallel and its critical path, without running it") { file };
        command.SetAction(CliApp.Handler((context, _) =>
        {
            var plan = PlanFile.Load(context.Value(file));
            var analysis = PlanAnalysis.Of(plan);
            context.Output.Write(analysis, c => Render(c, analysis));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command FromImportsCommand()
    {
        var folder = new Argument<string>("folder") { Description = "Source tree to scan (Python, JavaScript, TypeScript)" };
        var output = new Option<string>("--out") { Description = "Write the plan (YAML) to this file instead of standard output" };
        var command = new Command("from-imports", "Build a plan from a source tree: one task per file, each waiting for what it imports") { folder, output };
        command.SetAction(CliApp.Handler((context, _) =>
        {
            var result = ImportPlanBuilder.Build(context.Value(folder));
            var yaml = PlanFile.ToYaml(result.Plan);
            var path = context.Value(output);
            if (path is not null)
                File.WriteAllText(path, yaml);
            context.Output.Write(new { plan = result.Plan, cycles = result.Cycles, analysis = PlanAnalysis.Of(result.Plan) }, c =>
            {
                if (path is null)
                    context.Output.Line(yaml.TrimEnd());
                else
                    c.MarkupLineInterpolated($"wrote {result.Plan.Tasks.Length} tasks to {path}");
                foreach (var cycle in result.Cycles)
                    c.MarkupLineInterpolated($"[yellow]import cycle (its last edge left out): {cycle}[/]");
            });
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static void Render(IAnsiConsole console, PlanAnalysis a)
    {
        console.MarkupLineInterpolated($"[bold]{a.Name}[/]: {a.TaskCount} tasks, {a.EdgeCount} dependencies, up to {a.MaxParallelism} in parallel");
        var batches = new Table().Border(TableBorder.Rounded).AddColumn("batch").AddColumn("tasks (run together)");
        for (var i = 0; i < a.Batches.Length; i++)
            batches.AddRow((i + 1).ToString(), Markup.Escape(string.Join(", ", a.Batches[i])));
        console.Write(batches);
        console.MarkupLineInterpolated($"critical path ({Durations.Format(a.CriticalPathLength)}): {string.Join(" -> ", a.CriticalPath)}");
        console.MarkupLineInterpolated($"by agent: {string.Join(", ", a.TasksByAgent.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}");
    }
}

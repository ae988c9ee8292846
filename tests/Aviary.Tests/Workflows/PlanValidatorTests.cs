using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Tests.Workflows;

public sealed class PlanValidatorTests
{
    private static WorkflowPlan Plan(params TaskSpec[] tasks) => new() { Name = "p", Tasks = tasks };

    private static TaskSpec T(string id, params string[] deps) => new() { Id = id, Agent = AgentKinds.Noop, DependsOn = deps };

    [Fact]
    public void Cycle_IsNamedAlongDependsOn()
    {
        var error = Assert.Throws<AviaryValidationException>(() => PlanValidator.Validate(Plan(T("a", "b"), T("b", "c"), T("c", "a"), T("d"))));

        Assert.Equal("tasks", error.Field);
        Assert.Equal("cycle a -> b -> c -> a", error.Rule);
    }

    [Fact]
    public void SelfDependency_IsACycle()
    {
        var error = Assert.Throws<AviaryValidationException>(() => PlanValidator.Validate(Plan(T("a", "a"))));

        Assert.Equal("cycle a -> a", error.Rule);
    }

    [Theory]
    [InlineData("duplicate", "tasks[1].id", "'a' is used twice (also tasks[0])")]
    [InlineData("unknown-dep", "tasks[0].dependsOn", "unknown task 'zzz'")]
    [InlineData("unknown-agent", "tasks[0].agent", "unknown agent kind 'wizard'")]
    [InlineData("zero-attempts", "tasks[0].retry.maxAttempts", "must be between 1 and 100")]
    [InlineData("bad-backoff", "tasks[0].retry.backoffCoefficient", "must be between 1 and 100")]
    [InlineData("max-below-initial", "tasks[0].retry.maxInterval", "must not be shorter than initialInterval")]
    [InlineData("zero-timeout", "tasks[0].timeout", "must be positive and at most 1 day")]
    [InlineData("empty", "tasks", "must list at least one task")]
    public void BadPlan_NamesFieldAndRule(string name, string field, string rulePrefix)
    {
        var plan = name switch
        {
            "duplicate" => Plan(T("a"), T("a")),
            "unknown-dep" => Plan(T("a", "zzz")),
            "unknown-agent" => Plan(T("a") with { Agent = "wizard" }),
            "zero-attempts" => Plan(T("a") with { Retry = new RetryPolicy { MaxAttempts = 0 } }),
            "bad-backoff" => Plan(T("a") with { Retry = new RetryPolicy { BackoffCoefficient = 0.5 } }),
            "max-below-initial" => Plan(T("a") with { Retry = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromSeconds(1) } }),
            "zero-timeout" => Plan(T("a") with { Timeout = TimeSpan.Zero }),
            _ => Plan(),
        };

        var error = Assert.Throws<AviaryValidationException>(() => PlanValidator.Validate(plan));

        Assert.Equal(field, error.Field);
        Assert.StartsWith(rulePrefix, error.Rule);
    }

    [Fact]
    public void ResultReference_ToATaskNotDependedOn_IsRefused()
    {
        var plan = Plan(T("load"), T("explore") with { Input = new() { ["data"] = "${tasks.load.result}" } });

        var error = Assert.Throws<AviaryValidationException>(() => PlanValidator.Validate(plan));

        Assert.Equal("tasks[1].input.data", error.Field);
        Assert.Equal("refers to the result of 'load', which the task does not depend on", error.Rule);
    }

    [Fact]
    public void Analysis_GivesBatchesCriticalPathAndCounts()
    {
        var plan = Plan(
            T("load") with { Estimate = TimeSpan.FromSeconds(2) },
            T("explore", "load") with { Estimate = TimeSpan.FromSeconds(3) },
            T("aggregate", "load") with { Estimate = TimeSpan.FromSeconds(1), Priority = TaskPriority.High },
            T("report", "explore", "aggregate") with { Estimate = TimeSpan.FromSeconds(1) });

        var analysis = PlanAnalysis.Of(plan);

        Assert.Equal(4, analysis.TaskCount);
        Assert.Equal(4, analysis.EdgeCount);
        Assert.Equal([["load"], ["aggregate", "explore"], ["report"]], analysis.Batches);
        Assert.Equal(["load", "explore", "report"], analysis.CriticalPath);
        Assert.Equal(TimeSpan.FromSeconds(6), analysis.CriticalPathLength);
        Assert.Equal(2, analysis.MaxParallelism);
    }

    [Fact]
    public void PlanFile_Yaml_ParsesEveryField()
    {
        const string yaml = """
            name: sales
            tasks:
              - id: load
                agent: data-loader
                input: { path: data.csv }
                priority: high
                retry: { maxAttempts: 5, initialInterval: 2s, backoffCoefficient: 3, maxInterval: 1m, nonRetryableErrors: [InvalidInput] }
                timeout: 30s
                estimate: 4s
              - id: explore
                agent: explorer
                dependsOn: [load]
            """;

        var plan = PlanValidator.Validate(PlanFile.Parse(yaml, json: false, "x"));

        Assert.Equal("sales", plan.Name);
        var load = plan.Tasks[0];
        Assert.Equal("data.csv", load.Input["path"]);
        Assert.Equal(TaskPriority.High, load.Priority);
        Assert.Equal(5, load.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), load.Retry.InitialInterval);
        Assert.Equal(3, load.Retry.BackoffCoefficient);
        Assert.Equal(TimeSpan.FromMinutes(1), load.Retry.MaxInterval);
        Assert.Equal(["InvalidInput"], load.Retry.NonRetryableErrors);
        Assert.Equal(TimeSpan.FromSeconds(30), load.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(4), load.Estimate);
        Assert.Equal(["load"], plan.Tasks[1].DependsOn);
    }

    [Fact]
    public void PlanFile_Json_AndBadDuration()
    {
        const string json = """{"tasks":[{"id":"a","agent":"noop","timeout":"soon"}]}""";

        var error = Assert.Throws<AviaryValidationException>(() => PlanFile.Parse(json, json: true, "x"));

        Assert.Equal("tasks[0].timeout", error.Field);
    }

    [Theory]
    [InlineData(true, """{"tasks":[{"id":"a","agent":"noop"},{"id":"b","agent":"noop","depends_on":["a"]}]}""")]
    [InlineData(false, "tasks:\n  - id: a\n    agent: noop\n  - id: b\n    agent: noop\n    depends_on: [a]\n")]
    public void PlanFile_MisspeltField_IsRefusedByName_NotLost(bool json, string text)
    {
        var error = Assert.Throws<AviaryValidationException>(() => PlanFile.Parse(text, json, "x"));

        Assert.Equal("file", error.Field);
        Assert.Contains("depends_on", error.Message);
    }

    [Fact]
    public void PlanFile_YamlRoundTrip_KeepsTheDag()
    {
        var plan = Plan(T("a"), T("b", "a") with { Priority = TaskPriority.Low, Estimate = TimeSpan.FromSeconds(90) });

        var back = PlanFile.Parse(PlanFile.ToYaml(plan), json: false, "x");

        Assert.Equal(["a", "b"], back.Tasks.Select(t => t.Id));
        Assert.Equal(["a"], back.Tasks[1].DependsOn);
        Assert.Equal(TaskPriority.Low, back.Tasks[1].Priority);
        Assert.Equal(TimeSpan.FromSeconds(90), back.Tasks[1].Estimate);
    }

    /// <summary>The console sends plans to the API as this YAML: nothing a plan says may be lost on the way.</summary>
    [Fact]
    public void PlanFile_YamlRoundTrip_KeepsRetriesTimeoutsAndInputs()
    {
        var retry = new RetryPolicy
        {
            MaxAttempts = 1,
            InitialInterval = TimeSpan.FromMilliseconds(1500),
            BackoffCoefficient = 3,
            MaxInterval = TimeSpan.FromMinutes(2),
            NonRetryableErrors = ["Validation", "NotFound"],
        };
        var plan = Plan(T("a") with { Retry = retry, Timeout = TimeSpan.FromSeconds(42), Input = new() { ["path"] = "/data/x.csv", ["n"] = "3" } }, T("b", "a"));

        var back = PlanFile.Parse(PlanFile.ToYaml(plan), json: false, "x");

        var a = back.Tasks[0];
        Assert.Equal((1, TimeSpan.FromMilliseconds(1500), 3.0, TimeSpan.FromMinutes(2)), (a.Retry.MaxAttempts, a.Retry.InitialInterval, a.Retry.BackoffCoefficient, a.Retry.MaxInterval));
        Assert.Equal(["Validation", "NotFound"], a.Retry.NonRetryableErrors);
        Assert.Equal(TimeSpan.FromSeconds(42), a.Timeout);
        Assert.Equal(plan.Tasks[0].Input, a.Input);
        Assert.Equal(RetryPolicy.Default, back.Tasks[1].Retry);
        Assert.Equal(PlanFile.DefaultTimeout, back.Tasks[1].Timeout);
    }
}

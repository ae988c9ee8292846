using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Grains.Workflows;
using Aviary.Workflows;

namespace Aviary.Tests.Models;

public sealed class ValidatorAgentTests : IDisposable
{
    private readonly AgentFolder _folder = new();
    private readonly ValidatorAgent _agent;

    public ValidatorAgentTests() => _agent = new ValidatorAgent(_folder.Files);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SameDistribution_PassesWithTheReportAsResult()
    {
        var reference = _folder.Dataset("ref", ShiftingData.Generate(1_000, seed: 1, shift: 0));
        var data = _folder.Dataset("new", ShiftingData.Generate(1_000, seed: 2, shift: 0));

        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", ("data", data), ("reference", reference), ("failOnDrift", "true")), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Path.Combine("run1", "validate.1.validation.json"), result.ResultRef);
        var report = Read(result.ResultRef!);
        Assert.True(report.GetProperty("passed").GetBoolean());
        Assert.Equal("reference", report.GetProperty("schemaSource").GetString());
        Assert.Equal(7, report.GetProperty("drift").GetProperty("features").GetArrayLength()); // all seven columns are numbers or categories
        Assert.False(report.GetProperty("drift").GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public async Task Drift_WithFailOnDrift_FailsNonRetryablyNamingTheColumns_AfterWritingTheReport()
    {
        var reference = _folder.Dataset("ref", ShiftingData.Generate(1_000, seed: 1, shift: 0));
        var data = _folder.Dataset("new", ShiftingData.Generate(1_000, seed: 2, shift: 1));
        var schema = _folder.InputFile("loose.json", """{"columns":[{"name":"sqft"},{"name":"age","type":"integer"}]}""");

        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", ("data", data), ("reference", reference), ("schema", schema), ("failOnDrift", "true")), CancellationToken.None);

        Assert.Equal("ValidationFailed", result.ErrorKind);
        var reportRef = Path.Combine("run1", "validate.1.validation.json");
        Assert.StartsWith("column 'sqft' drifted (PSI ", result.Error);
        Assert.Contains("; column 'age' drifted (PSI ", result.Error);
        Assert.EndsWith($"; report: {reportRef}", result.Error);
        var report = Read(reportRef);
        Assert.False(report.GetProperty("passed").GetBoolean());
        Assert.Equal("file", report.GetProperty("schemaSource").GetString());
        Assert.Equal(0, report.GetProperty("violations").GetArrayLength());
    }

    [Fact]
    public async Task Drift_WithoutFailOnDrift_PassesAndReportsIt()
    {
        var reference = _folder.Dataset("ref", ShiftingData.Generate(1_000, seed: 1, shift: 0));
        var data = _folder.Dataset("new", ShiftingData.Generate(1_000, seed: 2, shift: 1));
        var schema = _folder.InputFile("loose.json", """{"columns":[{"name":"sqft"}]}""");

        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", ("data", data), ("reference", reference), ("schema", schema)), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var drift = Read(result.ResultRef!).GetProperty("drift");
        Assert.True(drift.GetProperty("drifted").GetBoolean());
        Assert.Contains("sqft", drift.GetProperty("driftedFeatures").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task SchemaViolations_FailWithTheFirstReasons()
    {
        var data = _folder.Dataset("new", ShiftingData.Generate(200, seed: 2, shift: 1));
        var schema = _folder.InputFile("strict.json", """
            {"columns":[
              {"name":"sqft","type":"number","min":0,"max":1000},
              {"name":"region","type":"category","categories":["north"]},
              {"name":"age","type":"integer","max":10},
              {"name":"owner"}
            ]}
            """);

        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", ("data", data), ("schema", schema)), CancellationToken.None);

        Assert.Equal("ValidationFailed", result.ErrorKind);
        Assert.Matches(@"^column 'sqft': \d+ value\(s\) outside \[0, 1000\] \(0 below, \d+ above\); column 'region': \d+ value\(s\) not among its categories, e\.g\. 'central', 'east', 'south', 'west'; column 'age': 200 value\(s\) outside \[-inf, 10\] \(0 below, 200 above\) \(and 1 more\); report: run1/validate\.1\.validation\.json$", result.Error);
        Assert.Equal(4, Read(Path.Combine("run1", "validate.1.validation.json")).GetProperty("violations").GetArrayLength());
    }

    [Theory]
    [InlineData("", "", "", "input.data is required (a data-loader result, e.g. ${tasks.load.result})")]
    [InlineData("DATA", "", "", "input.schema (a JSON file) or input.reference (a data-loader result) is required to validate against")]
    [InlineData("DATA", "nope.json", "", "input.schema: 'nope.json' does not exist")]
    [InlineData("DATA", "bad.json", "", "input.schema: 'bad.json': columns[0].maxMissing must be between 0 and 1")]
    [InlineData("DATA", "", "1.5", "input.alpha must be between 0 and 1, exclusive (got 1.5)")]
    [InlineData("DATA", "", "x", "input.alpha must be a number (got 'x')")]
    public async Task BadInput_IsInvalidInputNamingIt(string data, string schema, string alpha, string message)
    {
        var input = new List<(string, string)>();
        if (data == "DATA")
            input.Add(("data", _folder.Dataset("d", ShiftingData.Generate(10, 1, 0))));
        if (schema.Length > 0)
            input.Add(("schema", schema));
        if (alpha.Length > 0)
            input.AddRange([("alpha", alpha), ("reference", input[0].Item2)]);
        _folder.InputFile("bad.json", """{"columns":[{"name":"a","maxMissing":2}]}""");

        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", [.. input]), CancellationToken.None);

        Assert.Equal(("InvalidInput", message), (result.ErrorKind, result.Error));
    }

    [Fact]
    public async Task InAPlan_AFailedValidation_BlocksTrainingAndFailsTheRunWithoutRetrying()
    {
        var data = _folder.Dataset("new", ShiftingData.Generate(100, seed: 2, shift: 0));
        var schema = _folder.InputFile("s.json", """{"columns":[{"name":"owner"}]}""");
        var retry = new RetryPolicy { MaxAttempts = 3, NonRetryableErrors = [ValidatorAgent.ErrorKind] };
        var plan = PlanValidator.Validate(new WorkflowPlan
        {
            Name = "train",
            Tasks =
            [
                new TaskSpec { Id = "validate", Agent = AgentKinds.Validator, Retry = retry, Input = new Dictionary<string, string> { ["data"] = data, ["schema"] = schema } },
                new TaskSpec { Id = "train", Agent = AgentKinds.Trainer, DependsOn = ["validate"], Input = new Dictionary<string, string> { ["data"] = data, ["target"] = "price" } },
            ],
        });
        var now = DateTimeOffset.UnixEpoch;
        var scheduler = new WorkflowScheduler(plan, null, WorkflowStatus.Running, now, out _);
        var events = new List<SchedulerEvent>();

        var dispatched = scheduler.TakeDispatchable(now, 10, events);
        var result = await _agent.ExecuteAsync(AgentFolder.Request("validate", [.. dispatched[0].Input.Select(p => (p.Key, p.Value))]), CancellationToken.None);
        scheduler.Fail("validate", 1, result.ErrorKind!, result.Error!, default, now, events);

        Assert.Equal(["validate"], dispatched.Select(t => t.Id));
        Assert.Equal((TaskRunStatus.DeadLettered, 1), (scheduler.Task("validate").Status, scheduler.Task("validate").Attempts));
        Assert.Equal("column 'owner' is missing; report: run1/validate.1.validation.json", scheduler.Task("validate").Error);
        Assert.Equal(TaskRunStatus.Blocked, scheduler.Task("train").Status);
        Assert.Equal(WorkflowStatus.Failed, scheduler.Status);
        Assert.Empty(scheduler.TakeDispatchable(now, 10, events));
    }

    private JsonElement Read(string reference) =>
        JsonDocument.Parse(File.ReadAllText(_folder.Files.Result(reference))).RootElement;
}

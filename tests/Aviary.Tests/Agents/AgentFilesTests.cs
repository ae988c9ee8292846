using Aviary.Agents;
using Aviary.Errors;
using Aviary.Silo.Api;
using Aviary.Workflows;

namespace Aviary.Tests.Agents;

/// <summary>Files agents may read: results only under the outputs folder, inputs only under the allowed roots, links judged by where they lead.</summary>
public sealed class AgentFilesTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("aviary-files-").FullName;

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../admin.key")]
    [InlineData("run/../../aviary.db")]
    public void ResultReference_LeadingOutOfTheOutputs_IsRefused(string reference)
    {
        var files = new AgentFiles(_root, Path.Combine(_root, "outputs"));

        Assert.Throws<InvalidDataException>(() => files.Result(reference));
    }

    [Fact]
    public void ResultReference_InsideTheOutputs_Resolves()
    {
        var files = new AgentFiles(_root, Path.Combine(_root, "outputs"));

        Assert.Equal(Path.Combine(_root, "outputs", "run-1", "load.1.dataset.json"), files.Result("run-1/load.1.dataset.json"));
    }

    [Fact]
    public void InputPath_InsideDatasets_Passes_ButBesideThemOrThroughALinkOut_IsRefusedByField()
    {
        var datasets = Directory.CreateDirectory(Path.Combine(_root, "data", "datasets")).FullName;
        File.WriteAllText(Path.Combine(datasets, "sales.csv"), "a,b\n1,2\n");
        File.WriteAllText(Path.Combine(_root, "data", "admin.key"), "avk_secret");
        File.CreateSymbolicLink(Path.Combine(datasets, "sneaky.csv"), Path.Combine(_root, "data", "admin.key"));
        var policy = new AgentInputPolicy(_root, ["data/datasets"]);
        WorkflowPlan Plan(string path) => new() { Name = "p", Tasks = [new TaskSpec { Id = "load", Agent = AgentKinds.DataLoader, Input = new() { ["path"] = path } }] };

        policy.Check(Plan("data/datasets/sales.csv"));
        policy.Check(Plan(Path.Combine(datasets, "sales.csv")));
        var beside = Assert.Throws<AviaryValidationException>(() => policy.Check(Plan("data/admin.key")));
        var linked = Assert.Throws<AviaryValidationException>(() => policy.Check(Plan("data/datasets/sneaky.csv")));
        var prefix = Assert.Throws<AviaryValidationException>(() => policy.Check(Plan("data/datasets-evil/x.csv")));

        Assert.All(new[] { beside, linked, prefix }, e => Assert.Equal("tasks[0].input.path", e.Field));
    }
}

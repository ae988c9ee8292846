using Aviary.Agents;
using Aviary.Agents.Data;

namespace Aviary.Tests.Models;

/// <summary>An input and an output folder for running agents in a test, removed afterwards.</summary>
public sealed class AgentFolder : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aviary-agents-").FullName;

    public AgentFolder()
    {
        Files = new AgentFiles(Path.Combine(_root, "in"), Path.Combine(_root, "out"));
        Directory.CreateDirectory(Files.InputRoot);
        Directory.CreateDirectory(Files.OutputRoot);
    }

    public AgentFiles Files { get; }

    /// <summary>Stores a dataset as a data-loader would and returns its result reference.</summary>
    public string Dataset(string name, Dataset data)
    {
        var reference = Path.Combine("load", name + ".dataset.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Files.Result(reference))!);
        DatasetFile.Write(Files.Result(reference), data, []);
        return reference;
    }

    public string InputFile(string name, string text)
    {
        File.WriteAllText(Path.Combine(Files.InputRoot, name), text);
        return name;
    }

    public static AgentRequest Request(string task, params (string Key, string Value)[] input) =>
        new("run1", task, 1, input.ToDictionary(p => p.Key, p => p.Value));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

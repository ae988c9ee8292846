using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Aviary.Client.Cli;

/// <summary>Human tables on a terminal, or one JSON document per result with <c>--output json</c>.</summary>
public sealed class Output(bool json, IAnsiConsole console, TextWriter stdout)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Json { get; } = json;

    public IAnsiConsole Console { get; } = console;

    public void Write<T>(T data, Action<IAnsiConsole> human)
    {
        if (Json)
            WriteJson(data);
        else
            human(Console);
    }

    /// <summary>A plain line on standard output: log-friendly, never wrapped to a terminal width.</summary>
    public void Line(string text)
    {
        stdout.WriteLine(text);
        stdout.Flush();
    }

    public void WriteJson<T>(T data)
    {
        stdout.WriteLine(JsonSerializer.Serialize(data, JsonOptions));
        stdout.Flush();
    }
}

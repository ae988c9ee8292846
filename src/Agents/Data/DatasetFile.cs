using System.Text.Json;

namespace Aviary.Agents.Data;

/// <summary>A dataset on disk between agents: <c>{"columns": [...], "rows": [[...], ...], "issues": [...]}</c>.</summary>
public static class DatasetFile
{
    private sealed record Document(string[] Columns, string?[][] Rows, string[] Issues);

    public static void Write(string path, Dataset data, IReadOnlyList<string> issues)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, new Document([.. data.Columns], [.. data.Rows], [.. issues]), JsonOptions);
    }

    public static (Dataset Data, IReadOnlyList<string> Issues) Read(string path)
    {
        using var stream = File.OpenRead(path);
        var document = JsonSerializer.Deserialize<Document>(stream, JsonOptions)
            ?? throw new InvalidDataException($"'{path}' holds no dataset");
        return (new Dataset(document.Columns, document.Rows), document.Issues);
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

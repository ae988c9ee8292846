using Aviary.Errors;

namespace Aviary.Agents.Data;

/// <summary>What to generate: rows, clean or messy, format, seed; checked the same in the console and the API.</summary>
public sealed record DatasetRequest(int Rows = 2_000, bool Messy = false, string Format = "csv", int Seed = 42)
{
    /// <summary>The most rows the silo generates on request (a few seconds of one core, some tens of MB).</summary>
    public const int MaxServerRows = 1_000_000;

    /// <summary>The file name the dataset is written under (a later one of the same rows and format, another seed, replaces it).</summary>
    public string FileName => $"sales-{Rows}{(Messy ? "-messy" : "")}.{Format}";

    public DatasetRequest Validate(int maxRows)
    {
        if (Rows < 1 || Rows > maxRows)
            throw new AviaryValidationException("rows", $"must be between 1 and {maxRows:N0}");
        var format = (Format ?? "").ToLowerInvariant();
        if (!DatasetWriter.Formats.Contains(format))
            throw new AviaryValidationException("format", $"must be csv, json or xlsx (got '{Format}')");
        return this with { Format = format };
    }

    /// <summary>Generates and writes the dataset into <paramref name="folder"/>; returns the file's full path.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, FileName));
        // Written aside and moved in: a run reading the file never sees half of it.
        var temporary = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(path)}"); // the writer goes by the extension
        try
        {
            DatasetWriter.Write(DataGenerator.Generate(Rows, Messy, Seed), Format, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return path;
    }
}

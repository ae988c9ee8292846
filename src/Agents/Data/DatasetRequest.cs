using Aviary.Errors;

namespace Aviary.Agents.Data;

/// <summary>
/// What to generate: the kind (<c>sales</c> for the data agents, <c>houses</c>: labelled rows for
/// models, whose distribution moves by <see cref="Shift"/> 0–1), rows, clean or messy (sales),
/// format, seed; checked the same in the console and the API.
/// </summary>
public sealed record DatasetRequest(int Rows = 2_000, bool Messy = false, string Format = "csv", int Seed = 42, string Kind = "sales", double Shift = 0)
{
    public static readonly string[] Kinds = ["sales", "houses"];

    /// <summary>The most rows the silo generates on request (a few seconds of one core, some tens of MB).</summary>
    public const int MaxServerRows = 1_000_000;

    /// <summary>The file name the dataset is written under (a later one of the same rows and format, another seed, replaces it).</summary>
    public string FileName => Kind == "houses"
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"houses-{Rows}-shift{Shift:0.##}-seed{Seed}.{Format}")
        : $"sales-{Rows}{(Messy ? "-messy" : "")}.{Format}";

    public DatasetRequest Validate(int maxRows)
    {
        if (Rows < 1 || Rows > maxRows)
            throw new AviaryValidationException("rows", $"must be between 1 and {maxRows:N0}");
        var format = (Format ?? "").ToLowerInvariant();
        if (!DatasetWriter.Formats.Contains(format))
            throw new AviaryValidationException("format", $"must be csv, json or xlsx (got '{Format}')");
        var kind = (Kind ?? "sales").ToLowerInvariant();
        if (Array.IndexOf(Kinds, kind) < 0)
            throw new AviaryValidationException("kind", $"must be sales or houses (got '{Kind}')");
        if (!(Shift is >= 0 and <= 1))
            throw new AviaryValidationException("shift", "must be between 0 and 1 (houses: how far the distribution has moved)");
        if (Messy && kind == "houses")
            throw new AviaryValidationException("messy", "only sales datasets can be messy");
        return this with { Format = format, Kind = kind };
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
            DatasetWriter.Write(Kind == "houses" ? Models.ShiftingData.Generate(Rows, Seed, Shift) : DataGenerator.Generate(Rows, Messy, Seed), Format, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return path;
    }
}

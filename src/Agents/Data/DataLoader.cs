using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace Aviary.Agents.Data;

/// <summary>
/// Loads CSV (any common delimiter) or JSON (an array of objects) into a <see cref="Dataset"/>.
/// Messy input is reported, not thrown: empty files, rows with too few or too many fields, bad
/// quoting, duplicate rows, text that is not UTF-8 (read as Latin-1 instead).
/// </summary>
public static class DataLoader
{
    public static LoadResult Load(string path)
    {
        var issues = new List<string>();
        if (!File.Exists(path))
            return Empty("missing", "", [$"file '{path}' does not exist"]);
        if (Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
            return LoadXlsx(path, issues);
        var bytes = File.ReadAllBytes(path);
        var (text, encoding) = Decode(bytes, issues);
        var format = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "csv";
        if (string.IsNullOrWhiteSpace(text))
        {
            issues.Add("the file is empty");
            return Empty(format, encoding, issues);
        }
        var data = format == "json" ? ReadJson(text, issues) : ReadCsv(text, issues);
        var duplicates = data.DuplicateRows();
        if (duplicates > 0)
            issues.Add($"{duplicates} duplicate row(s)");
        return new LoadResult(data, format, encoding, duplicates, issues);
    }

    private static LoadResult LoadXlsx(string path, List<string> issues)
    {
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever the reader makes of a damaged or foreign file, it is reported, never thrown.
            issues.Add($"not a readable XLSX workbook: {ex.Message}");
            return Empty("xlsx", "", issues);
        }
        var columns = sheet.FirstOrDefault()?.Keys.ToArray() ?? [];
        if (columns.Length == 0)
            issues.Add("the workbook's first sheet is empty");
        var rows = sheet.Select(r => columns.Select(c => r.TryGetValue(c, out var v) && v is not null && !string.IsNullOrWhiteSpace(Convert.ToString(v, CultureInfo.InvariantCulture))
            ? Convert.ToString(v, CultureInfo.InvariantCulture)
            : null).ToArray()).ToList();
        var data = new Dataset(columns, rows);
        var duplicates = data.DuplicateRows();
        if (duplicates > 0)
            issues.Add($"{duplicates} duplicate row(s)");
        return new LoadResult(data, "xlsx", "xlsx", duplicates, issues);
    }

    private static (string Text, string Encoding) Decode(byte[] bytes, List<string> issues)
    {
        // A UTF-16 file (as Excel's "Unicode text" saves) says so in its byte-order mark.
        if (bytes is [0xFF, 0xFE, ..])
            return (Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "utf-16le");
        if (bytes is [0xFE, 0xFF, ..])
            return (Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "utf-16be");
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            return (text.TrimStart('\uFEFF'), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            issues.Add("the file is not valid UTF-8; it was read as Latin-1");
            return (Encoding.Latin1.GetString(bytes), "latin-1");
        }
    }

    private static Dataset ReadCsv(string text, List<string> issues)
    {
        var badData = 0;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            BadDataFound = args =>
            {
                if (badData++ < 10)
                    issues.Add($"row {args.Context.Parser?.Row}: bad quoting in '{Truncate(args.RawRecord)}'");
            },
            MissingFieldFound = null,
            TrimOptions = TrimOptions.Trim,
        };
        using var reader = new CsvReader(new StringReader(text), config);
        if (!reader.Read())
            return new Dataset([], []);
        reader.ReadHeader();
        var columns = (reader.HeaderRecord ?? []).Select((h, i) => string.IsNullOrWhiteSpace(h) ? $"column{i + 1}" : h.Trim()).ToArray();
        var rows = new List<string?[]>();
        var ragged = 0;
        while (reader.Read())
        {
            var record = reader.Parser.Record ?? [];
            if (record.Length != columns.Length && ragged++ < 10)
                issues.Add($"row {reader.Parser.Row}: {record.Length} field(s), expected {columns.Length}");
            var row = new string?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
                row[i] = i < record.Length && !string.IsNullOrWhiteSpace(record[i]) ? record[i] : null;
            rows.Add(row);
        }
        if (ragged > 10)
            issues.Add($"{ragged - 10} more row(s) with the wrong number of fields");
        return new Dataset(columns, rows);
    }

    private static Dataset ReadJson(string text, List<string> issues)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            issues.Add($"not valid JSON: {ex.Message}");
            return new Dataset([], []);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                issues.Add("JSON must be an array of objects");
                return new Dataset([], []);
            }
            var columns = new List<string>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var objects = new List<JsonElement>();
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    issues.Add($"item {objects.Count + 1} is {item.ValueKind}, not an object: skipped");
                    continue;
                }
                objects.Add(item);
                foreach (var property in item.EnumerateObject())
                {
                    if (seen.TryAdd(property.Name, columns.Count))
                        columns.Add(property.Name);
                }
            }
            var rows = objects.Select(o =>
            {
                var row = new string?[columns.Count];
                foreach (var property in o.EnumerateObject())
                {
                    row[seen[property.Name]] = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null or JsonValueKind.Undefined => null,
                        JsonValueKind.String => string.IsNullOrWhiteSpace(property.Value.GetString()) ? null : property.Value.GetString(),
                        _ => property.Value.GetRawText(),
                    };
                }
                return row;
            }).ToList();
            return new Dataset(columns, rows);
        }
    }

    private static LoadResult Empty(string format, string encoding, List<string> issues) =>
        new(new Dataset([], []), format, encoding, 0, issues);

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 40 ? text.Trim() : text[..40] + "…";
}

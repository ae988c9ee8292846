using System.Globalization;
using System.Text.Json;
using CsvHelper;
using MiniExcelLibs;

namespace Aviary.Agents.Data;

/// <summary>Writes a dataset as CSV (CsvHelper), JSON (an array of objects) or XLSX (MiniExcel).</summary>
public static class DatasetWriter
{
    public static readonly string[] Formats = ["csv", "json", "xlsx"];

    public static void Write(Dataset data, string format, string path)
    {
        switch (format)
        {
            case "csv":
                using (var writer = new StreamWriter(path))
                using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
                {
                    foreach (var column in data.Columns)
                        csv.WriteField(column);
                    csv.NextRecord();
                    foreach (var row in data.Rows)
                    {
                        foreach (var cell in row)
                            csv.WriteField(cell ?? "");
                        csv.NextRecord();
                    }
                }
                break;
            case "json":
                using (var stream = File.Create(path))
                    JsonSerializer.Serialize(stream, Objects(data, typed: true).ToList());
                break;
            case "xlsx":
                if (File.Exists(path))
                    File.Delete(path);
                MiniExcel.SaveAs(path, Objects(data, typed: true).ToList());
                break;
            default:
                throw new ArgumentException($"format must be one of {string.Join(", ", Formats)} (got '{format}')", nameof(format));
        }
    }

    /// <summary>Rows as column→value maps; with <paramref name="typed"/>, numbers become numbers.</summary>
    private static IEnumerable<Dictionary<string, object?>> Objects(Dataset data, bool typed) =>
        data.Rows.Select(row =>
        {
            var map = new Dictionary<string, object?>(data.Columns.Count);
            for (var i = 0; i < data.Columns.Count; i++)
            {
                var cell = i < row.Length ? row[i] : null;
                map[data.Columns[i]] = typed && cell is not null && Explorer.TryNumber(cell, out var number) && !cell.Contains(',') ? number : cell;
            }
            return map;
        });
}

using System.Text;
using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class DataLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aviary-data-").FullName;

    private string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void Csv_Clean_LoadsColumnsAndRows()
    {
        var result = DataLoader.Load(Write("sales.csv", "region,units,price\nnorth,3,9.5\nsouth,5,10\n"));

        Assert.Equal(["region", "units", "price"], result.Data.Columns);
        Assert.Equal(2, result.Data.Rows.Count);
        Assert.Equal(new string?[] { "south", "5", "10" }, result.Data.Rows[1].AsEnumerable());
        Assert.Empty(result.Issues);
        Assert.Equal(("csv", "utf-8"), (result.Format, result.Encoding));
    }

    [Fact]
    public void Csv_Messy_ReportsMissingRaggedAndDuplicateRowsWithoutThrowing()
    {
        var result = DataLoader.Load(Write("messy.csv", "a;b;c\n1;;3\n1;;3\n4;5\n6;7;8;9\n"));

        Assert.Equal(["a", "b", "c"], result.Data.Columns); // ';' detected
        Assert.Equal(4, result.Data.Rows.Count);
        Assert.Null(result.Data.Rows[0][1]);
        Assert.Equal(1, result.DuplicateRows);
        Assert.Contains(result.Issues, i => i.Contains("2 field(s), expected 3"));
        Assert.Contains(result.Issues, i => i.Contains("4 field(s), expected 3"));
        Assert.Contains("1 duplicate row(s)", result.Issues);
    }

    [Fact]
    public void EmptyFile_IsAnIssueNotAnError()
    {
        var result = DataLoader.Load(Write("empty.csv", ""));

        Assert.Empty(result.Data.Columns);
        Assert.Equal(["the file is empty"], result.Issues);
    }

    [Fact]
    public void Latin1File_IsReadAndReported()
    {
        var result = DataLoader.Load(Write("latin.csv", "city,n\nMünchen,1\n", Encoding.Latin1));

        Assert.Equal("latin-1", result.Encoding);
        Assert.Equal("München", result.Data.Rows[0][0]);
        Assert.Contains(result.Issues, i => i.Contains("not valid UTF-8"));
    }

    [Fact]
    public void Json_ArrayOfObjects_UnionsKeysAndKeepsNullsMissing()
    {
        var result = DataLoader.Load(Write("rows.json", """[{"a":1,"b":"x"},{"a":null,"c":true},42]"""));

        Assert.Equal(["a", "b", "c"], result.Data.Columns);
        Assert.Equal(2, result.Data.Rows.Count);
        Assert.Equal(new string?[] { "1", "x", null }, result.Data.Rows[0].AsEnumerable());
        Assert.Equal(new string?[] { null, null, "true" }, result.Data.Rows[1].AsEnumerable());
        Assert.Contains(result.Issues, i => i.Contains("item 3 is Number"));
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void Utf16File_IsReadByItsByteOrderMark(string encoding)
    {
        var text = encoding == "utf-16le" ? new UnicodeEncoding(bigEndian: false, byteOrderMark: true) : new UnicodeEncoding(bigEndian: true, byteOrderMark: true);

        var result = DataLoader.Load(Write("unicode.csv", "city,n\nMünchen,1\nZürich,2\n", text));

        Assert.Equal(encoding, result.Encoding);
        Assert.Equal(["city", "n"], result.Data.Columns);
        Assert.Equal(["München", "Zürich"], result.Data.Rows.Select(r => r[0]));
        Assert.Empty(result.Issues);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x01, 0x02 })] // a zip's first bytes, then nothing
    [InlineData(new byte[] { 0x6E, 0x6F, 0x74, 0x20, 0x61, 0x20, 0x77, 0x6F, 0x72, 0x6B, 0x62, 0x6F, 0x6F, 0x6B })] // "not a workbook"
    public void DamagedXlsx_IsReportedNotThrown(byte[] bytes)
    {
        var path = Path.Combine(_dir, "damaged.xlsx");
        File.WriteAllBytes(path, bytes);

        var result = DataLoader.Load(path);

        Assert.Equal("xlsx", result.Format);
        Assert.Empty(result.Data.Rows);
        Assert.Contains(result.Issues, i => i.StartsWith("not a readable XLSX workbook") || i.Contains("empty"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

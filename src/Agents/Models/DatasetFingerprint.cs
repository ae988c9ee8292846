using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// A SHA-256 of a dataset's content: its column names, then every row's cells, each cell as a
/// marker byte (0 missing, 1 present), then for a present one its UTF-8 length and bytes, so that
/// no two different tables hash alike by running cells together. Streamed through one buffer.
/// </summary>
public static class DatasetFingerprint
{
    public static string Sha256(Dataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var header = new byte[5];
            void Add(string? text)
            {
                if (text is null)
                {
                    hash.AppendData([0]);
                    return;
                }
                var length = Encoding.UTF8.GetByteCount(text);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }
                header[0] = 1;
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1), length);
                hash.AppendData(header);
                hash.AppendData(buffer, 0, Encoding.UTF8.GetBytes(text, buffer));
            }
            foreach (var column in data.Columns)
                Add(column);
            foreach (var row in data.Rows)
            {
                for (var c = 0; c < data.Columns.Count; c++)
                    Add(c < row.Length ? row[c] : null);
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

using System.Buffers.Binary;

namespace Aviary.Metrics;

/// <summary>
/// Many request outcomes in one stream event. Each sample is packed into four bytes
/// (bit 31: error, bits 0–30: latency in microseconds, capped at ~35 minutes) so a batch
/// serializes as one byte block: this is what makes millions of samples per second cheap.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.SampleBatch")]
public sealed class SampleBatch
{
    private const uint ErrorBit = 0x8000_0000;
    private const uint LatencyMask = 0x7FFF_FFFF;

    public SampleBatch(byte[] data)
    {
        if (data.Length % 4 != 0)
            throw new ArgumentException("a packed batch has four bytes per sample", nameof(data));
        Data = data;
    }

    [Id(0)] public byte[] Data { get; }

    public int Count => Data.Length / 4;

    public static SampleBatch From(ReadOnlySpan<Sample> samples)
    {
        var data = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(i * 4), Pack(samples[i]));
        return new SampleBatch(data);
    }

    public static uint Pack(Sample sample)
    {
        var micros = double.IsNaN(sample.LatencyMs) || sample.LatencyMs <= 0
            ? 0u
            : (uint)Math.Min(sample.LatencyMs * 1000.0, LatencyMask);
        return sample.Ok ? micros : micros | ErrorBit;
    }

    public Sample this[int index]
    {
        get
        {
            var raw = BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(index * 4));
            return new Sample((raw & ErrorBit) == 0, (raw & LatencyMask) / 1000.0);
        }
    }
}

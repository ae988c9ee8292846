using System.Diagnostics;

namespace Aviary.Bench;

/// <summary>CPU and wall time over an interval, and percentiles of a list.</summary>
public sealed class Measure
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

    public TimeSpan Elapsed => _wall.Elapsed;

    /// <summary>Process CPU as a percentage of one core.</summary>
    public double CpuPercentOfOneCore =>
        (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds / _wall.Elapsed.TotalSeconds * 100;

    public static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
            return double.NaN;
        values.Sort();
        var rank = (int)Math.Ceiling(q * values.Count) - 1;
        return values[Math.Clamp(rank, 0, values.Count - 1)];
    }

    public static long SettledHeapBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// With AVIARY_BENCH_DUMP=dir set, writes a heap dump (dir/name.dmp) with the runtime's createdump,
    /// for attributing memory to types offline (ClrMD). Off by default.
    /// </summary>
    public static void DumpIfAsked(string name)
    {
        var directory = Environment.GetEnvironmentVariable("AVIARY_BENCH_DUMP");
        if (string.IsNullOrEmpty(directory))
            return;
        Directory.CreateDirectory(directory);
        var createdump = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "createdump");
        using var process = Process.Start(createdump, ["-f", Path.Combine(directory, name + ".dmp"), "--withheap", Environment.ProcessId.ToString()]);
        process.WaitForExit();
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// Measures what a task costs on the thread that runs it: wall time, that thread's CPU time
/// (exact on Linux, where the kernel keeps a clock per thread), the bytes it allocated, and the
/// managed heap's high-water mark while it ran (sampled every 10 ms and at both ends).
/// Pools run each batch on a <see cref="WorkerThread"/>, so a task's awaits come back to the
/// thread being measured.
/// </summary>
public static partial class ResourceMeter
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(10);
    private static readonly Lock Gate = new();
    private static readonly List<Measurement> Active = [];
    private static Timer? _sampler;

    public static Measurement Start()
    {
        var measurement = new Measurement(Stopwatch.GetTimestamp(), ThreadCpuTime(), GC.GetAllocatedBytesForCurrentThread(), GC.GetTotalMemory(forceFullCollection: false));
        lock (Gate)
        {
            Active.Add(measurement);
            _sampler ??= new Timer(_ => Sample(), null, SamplePeriod, SamplePeriod);
        }
        return measurement;
    }

    /// <summary>CPU time (user + kernel) of the calling thread; zero where the platform has no per-thread clock.</summary>
    public static TimeSpan ThreadCpuTime()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var now) != 0)
            return TimeSpan.Zero;
        return TimeSpan.FromTicks(now.Seconds * TimeSpan.TicksPerSecond + now.Nanoseconds / 100);
    }

    private static void Sample()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        lock (Gate)
        {
            foreach (var measurement in Active)
                measurement.See(heap);
            if (Active.Count == 0)
            {
                _sampler?.Dispose();
                _sampler = null;
            }
        }
    }

    /// <summary>Stops sampling for <paramref name="measurement"/> after one last look at <paramref name="heap"/>.</summary>
    private static void Finish(Measurement measurement, long heap)
    {
        lock (Gate)
        {
            Active.Remove(measurement);
            measurement.See(heap);
        }
    }

    /// <summary>One task's measurement; <see cref="Stop"/> on the thread that started it.</summary>
    public sealed class Measurement(long startTimestamp, TimeSpan startCpu, long startAllocated, long startHeap)
    {
        private long _peakHeap = startHeap;

        internal void See(long heap)
        {
            if (heap > _peakHeap)
                _peakHeap = heap;
        }

        public ResourceUse Stop()
        {
            Finish(this, GC.GetTotalMemory(forceFullCollection: false));
            return new ResourceUse
            {
                Wall = Stopwatch.GetElapsedTime(startTimestamp),
                Cpu = ThreadCpuTime() - startCpu,
                AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - startAllocated,
                PeakHeapBytes = _peakHeap,
            };
        }
    }

    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}

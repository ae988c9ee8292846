using Aviary.Grains.Agents;

namespace Aviary.Tests.Agents;

// Alone: the reuse test must not share the idle worker threads with cluster tests running agents.
[Collection(SerialCollection.Name)]
public sealed class ResourceMeterTests
{
    [Fact]
    public async Task WorkerThread_ResumesAwaitsOnItsOwnThread()
    {
        var threads = await WorkerThread.RunAsync(async () =>
        {
            var before = Environment.CurrentManagedThreadId;
            await Task.Yield();
            await Task.Delay(1);
            return (before, after: Environment.CurrentManagedThreadId);
        }, "test-worker");

        Assert.Equal(threads.before, threads.after);
    }

    [Fact]
    public async Task WorkerThread_ReusesAnIdleThread()
    {
        var first = await WorkerThread.RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId), "test-worker");
        var second = await WorkerThread.RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId), "test-worker");
        // All four are handed out before any may finish: none can come back idle and take another.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, 4).Select(_ => WorkerThread.RunAsync(async () =>
        {
            await gate.Task;
            return Environment.CurrentManagedThreadId;
        }, "test-worker")).ToArray();
        gate.SetResult();
        var concurrent = await Task.WhenAll(running);

        Assert.Equal(first, second);        // the first thread was idle again and took the second piece
        Assert.Equal(4, concurrent.Distinct().Count()); // work that overlaps gets a thread each
    }

    [Fact]
    public async Task WorkerThread_PassesExceptionsToTheCaller()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerThread.RunAsync<int>(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        }, "test-worker"));

        Assert.Equal("boom", ex.Message);
    }

    [Fact]
    public void Measurement_OfSpinningWork_ChargesCpuCloseToWallTime()
    {
        var meter = ResourceMeter.Start();
        var cpuStart = ResourceMeter.ThreadCpuTime();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        while (ResourceMeter.ThreadCpuTime() - cpuStart < TimeSpan.FromMilliseconds(50) && wall.Elapsed < TimeSpan.FromSeconds(5))
        {
            // spin: burn 50 ms of this thread's CPU
        }
        var use = meter.Stop();

        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(TimeSpan.Zero, use.Cpu); // no per-thread clock is read elsewhere
            return;
        }
        Assert.InRange(use.Cpu, TimeSpan.FromMilliseconds(50), use.Wall + TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Measurement_CountsAllocationsAndSeesTheHeapHoldThem()
    {
        var meter = ResourceMeter.Start();
        var held = new byte[32 * 1024 * 1024];
        held[^1] = 1;
        var use = meter.Stop();
        GC.KeepAlive(held);

        Assert.InRange(use.AllocatedBytes, held.Length, held.Length + 1024 * 1024);
        Assert.True(use.PeakHeapBytes >= held.Length, $"peak heap {use.PeakHeapBytes} below the {held.Length} bytes held");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}

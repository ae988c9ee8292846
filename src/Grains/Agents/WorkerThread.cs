using System.Collections.Concurrent;

namespace Aviary.Grains.Agents;

/// <summary>
/// Runs async work on a thread of its own whose awaits resume on that same thread (a one-thread
/// synchronization context), so the thread's CPU clock and allocation counter measure exactly
/// that work, and a slow agent never holds a thread-pool thread that grains need. Finished
/// threads wait (up to <see cref="IdleTimeout"/>) to be reused rather than exiting at once.
/// </summary>
public static class WorkerThread
{
    /// <summary>How long a finished worker thread waits for more work before it exits.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lock Gate = new();
    private static readonly Stack<Worker> Idle = new();

    /// <summary>Runs <paramref name="work"/> on an idle worker thread, or on a new one named <paramref name="name"/> when none is idle.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> work, string name)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Runs the work to its end and returns how to tell the caller, which happens once the
        // thread is idle again: a caller that asks for more work at once finds it free.
        Action Run()
        {
            using var context = new OneThreadContext();
            SynchronizationContext.SetSynchronizationContext(context);
            Task<T> task;
            try
            {
                task = work();
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }
            task.ContinueWith(_ => context.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            context.RunUntilComplete();
            SynchronizationContext.SetSynchronizationContext(null);
            return () =>
            {
                if (task.IsCompletedSuccessfully)
                    done.SetResult(task.Result);
                else if (task.IsCanceled)
                    done.SetCanceled();
                else
                    done.SetException(task.Exception!.InnerExceptions);
            };
        }

        lock (Gate)
        {
            if (Idle.TryPop(out var idle))
            {
                idle.Give(Run);
                return done.Task;
            }
        }
        new Worker(name).Give(Run);
        return done.Task;
    }

    /// <summary>A thread that runs one piece of work at a time and waits, idle, for the next.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _signal = new(0);
        private Func<Action>? _next;

        public Worker(string name)
        {
            new Thread(Loop) { IsBackground = true, Name = name }.Start();
        }

        public void Give(Func<Action> work)
        {
            _next = work;
            _signal.Release();
        }

        private void Loop()
        {
            while (true)
            {
                if (!_signal.Wait(IdleTimeout))
                {
                    lock (Gate)
                    {
                        // Exit only if no one handed work over while the wait timed out.
                        if (_signal.CurrentCount == 0)
                        {
                            var others = Idle.Where(w => w != this).Reverse().ToArray();
                            Idle.Clear();
                            foreach (var worker in others)
                                Idle.Push(worker);
                            return;
                        }
                    }
                    _signal.Wait();
                }
                var work = Interlocked.Exchange(ref _next, null)!;
                var tell = work();
                lock (Gate)
                    Idle.Push(this);
                tell();
            }
        }
    }

    private sealed class OneThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            if (!_queue.TryAddUnlessCompleted((d, state)))
                ThreadPool.QueueUserWorkItem(s => d(s), state, preferLocal: false); // work outliving its task
        }

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("a worker thread only takes posted work");

        public void Complete() => _queue.CompleteAdding();

        public void RunUntilComplete()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
                callback(state);
        }

        public void Dispose() => _queue.Dispose();
    }

    private static bool TryAddUnlessCompleted<T>(this BlockingCollection<T> queue, T item)
    {
        try
        {
            if (queue.IsAddingCompleted)
                return false;
            queue.Add(item);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // completed between the check and the add
        }
    }
}

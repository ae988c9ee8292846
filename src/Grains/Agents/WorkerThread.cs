using System.Collections.Concurrent;

namespace Aviary.Grains.Agents;

/// <summary>
/// Runs async work on a thread of its own whose awaits resume on that same thread (a one-thread
/// synchronization context), so the thread's CPU clock and allocation counter measure exactly
/// that work, and a slow agent never holds a thread-pool thread that grains need.
/// </summary>
public static class WorkerThread
{
    public static Task<T> RunAsync<T>(Func<Task<T>> work, string name)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
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
            if (task.IsCompletedSuccessfully)
                done.SetResult(task.Result);
            else if (task.IsCanceled)
                done.SetCanceled();
            else
                done.SetException(task.Exception!.InnerExceptions);
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
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

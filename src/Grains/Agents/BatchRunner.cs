using Aviary.Agents;
using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// Runs a batch's attempts one after another on the calling worker thread, and measures each
/// (<see cref="ResourceMeter"/>). It judges no time: each attempt gets the token its pool cancels at
/// the attempt's deadline, and the batch ends at the first attempt the pool took back.
/// </summary>
public static class BatchRunner
{
    public static async Task<CompletedWork[]> RunAsync(IAgentExecutor executor, AgentBatch batch, TimeProvider time)
    {
        var done = new List<CompletedWork>(batch.Items.Length);
        for (var i = 0; batch.TryBegin(i, time.GetUtcNow(), out var cancellation); i++)
        {
            var (item, cacheKey, _) = batch.Items[i];
            var meter = ResourceMeter.Start();
            AgentResult result;
            try
            {
                result = await executor.ExecuteAsync(new AgentRequest(item.RunId, item.TaskId, item.Attempt, item.Input), cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // The pool gave up on it at its deadline and has answered it already.
                result = AgentResult.Fail(ErrorKinds.Timeout, $"cancelled after {Durations.Format(item.Timeout)}");
            }
            catch (Exception ex)
            {
                result = AgentResult.Fail(ex.GetType().Name, ex.Message);
            }
            var use = meter.Stop();
            batch.End();
            done.Add(new CompletedWork(item, new TaskOutcome
            {
                TaskId = item.TaskId,
                Attempt = item.Attempt,
                Succeeded = result.Succeeded,
                ResultRef = result.ResultRef,
                ErrorKind = result.ErrorKind,
                Error = result.Error,
                Use = use,
            }, result.Succeeded ? cacheKey : null));
        }
        return [.. done];
    }
}

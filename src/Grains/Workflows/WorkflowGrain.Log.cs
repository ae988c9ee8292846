using Aviary.Workflows;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowGrain
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Workflow {WorkflowId} ({Plan}) started with {Tasks} tasks")]
    private static partial void LogStarted(ILogger logger, string workflowId, string plan, int tasks);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Workflow {WorkflowId} ended {Status}")]
    private static partial void LogCompleted(ILogger logger, string workflowId, WorkflowStatus status);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Workflow {WorkflowId}: task {TaskId} dead-lettered after {Attempts} attempt(s): {ErrorKind}")]
    private static partial void LogDeadLettered(ILogger logger, string workflowId, string taskId, int attempts, string errorKind);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Workflow {WorkflowId} could not publish its events")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string workflowId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Workflow {WorkflowId}: could not reach agent pool {Agent}")]
    private static partial void LogPoolUnreachable(ILogger logger, Exception exception, string workflowId, string agent);
}

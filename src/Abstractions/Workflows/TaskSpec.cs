namespace Aviary.Workflows;

/// <summary>One task of a plan: which agent runs it on what input, after which tasks.</summary>
[GenerateSerializer, Immutable, Alias("aviary.TaskSpec")]
public sealed record TaskSpec
{
    [Id(0)] public string Id { get; init; } = "";

    /// <summary>The agent kind that runs it, e.g. <c>data-loader</c>.</summary>
    [Id(1)] public string Agent { get; init; } = "";

    /// <summary>Named inputs; <c>${tasks.&lt;id&gt;.output}</c> refers to another task's result.</summary>
    [Id(2)] public Dictionary<string, string> Input { get; init; } = [];

    [Id(3)] public string[] DependsOn { get; init; } = [];

    [Id(4)] public TaskPriority Priority { get; init; } = TaskPriority.Normal;

    [Id(5)] public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>One attempt fails when it runs longer than this. Default 5 minutes.</summary>
    [Id(6)] public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Expected duration, for the critical path. Default: unknown (counted as one unit).</summary>
    [Id(7)] public TimeSpan? Estimate { get; init; }
}

namespace Aviary.Workflows;

/// <summary>Ready tasks are dispatched high first, then normal, then low.</summary>
[GenerateSerializer, Alias("aviary.TaskPriority")]
public enum TaskPriority
{
    High = 0,
    Normal = 1,
    Low = 2,
}

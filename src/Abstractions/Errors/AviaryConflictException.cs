namespace Aviary.Errors;

/// <summary>
/// The request is well formed but the current state refuses it
/// (a second rollout while one runs, resuming a rollout that is not paused).
/// </summary>
[GenerateSerializer, Alias("aviary.AviaryConflictException")]
public sealed class AviaryConflictException : Exception
{
    public AviaryConflictException(string field, string rule)
        : base($"{field}: {rule}")
    {
        Field = field;
        Rule = rule;
    }

    [Id(0)] public string Field { get; }

    [Id(1)] public string Rule { get; }
}

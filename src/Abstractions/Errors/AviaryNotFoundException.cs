namespace Aviary.Errors;

/// <summary>The named thing (a service, a rollout) does not exist.</summary>
[GenerateSerializer, Alias("aviary.AviaryNotFoundException")]
public sealed class AviaryNotFoundException : Exception
{
    public AviaryNotFoundException(string field, string rule)
        : base($"{field}: {rule}")
    {
        Field = field;
        Rule = rule;
    }

    [Id(0)] public string Field { get; }

    [Id(1)] public string Rule { get; }
}

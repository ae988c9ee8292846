namespace Aviary.Errors;

/// <summary>
/// Bad input: names the offending field and the rule it broke. Nothing was changed.
/// </summary>
[GenerateSerializer, Alias("aviary.AviaryValidationException")]
public sealed class AviaryValidationException : Exception
{
    public AviaryValidationException(string field, string rule)
        : base($"{field}: {rule}")
    {
        Field = field;
        Rule = rule;
    }

    [Id(0)] public string Field { get; }

    [Id(1)] public string Rule { get; }
}

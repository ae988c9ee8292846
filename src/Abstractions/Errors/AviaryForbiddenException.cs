namespace Aviary.Errors;

/// <summary>The caller's role does not allow this part of the request (an operator asking to override a freeze).</summary>
[GenerateSerializer, Alias("aviary.AviaryForbiddenException")]
public sealed class AviaryForbiddenException : Exception
{
    public AviaryForbiddenException(string field, string rule)
        : base($"{field}: {rule}")
    {
        Field = field;
        Rule = rule;
    }

    [Id(0)] public string Field { get; }

    [Id(1)] public string Rule { get; }
}

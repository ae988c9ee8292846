using Aviary.Errors;

namespace Aviary.Guardrails;

/// <summary>A version of a service, written <c>service@version</c>: what a dependent rollout waits for.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReleaseRef")]
public sealed record ReleaseRef
{
    [Id(0)] public string Service { get; init; } = "";
    /// <summary>Null when the caller named the service only: its rollout in flight or queued.</summary>
    [Id(1)] public string? Version { get; init; }

    public override string ToString() => Version is null ? Service : $"{Service}@{Version}";

    /// <summary><c>service</c> or <c>service@version</c>; a bad one names <paramref name="field"/>.</summary>
    public static ReleaseRef Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new AviaryValidationException(field, "must be 'service' or 'service@version'");
        var at = text.IndexOf('@');
        return at < 0
            ? new ReleaseRef { Service = Identifiers.ValidateService(text, field) }
            : new ReleaseRef { Service = Identifiers.ValidateService(text[..at], field), Version = Identifiers.ValidateVersion(text[(at + 1)..], field) };
    }
}

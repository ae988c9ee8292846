using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary;

/// <summary>Rules for service names and versions, checked at every entry point.</summary>
public static partial class Identifiers
{
    public const int MaxServiceLength = 63;
    public const int MaxVersionLength = 128;

    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?\\z")]
    private static partial Regex ServicePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*\\z")]
    private static partial Regex VersionPattern();

    public static string ValidateService(string? service, string field = "service")
    {
        if (string.IsNullOrWhiteSpace(service))
            throw new AviaryValidationException(field, "must not be empty");
        if (service.Length > MaxServiceLength)
            throw new AviaryValidationException(field, $"must be at most {MaxServiceLength} characters");
        if (!ServicePattern().IsMatch(service))
            throw new AviaryValidationException(field, "must be lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        return service;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\z")]
    private static partial Regex RunIdPattern();

    public static string ValidateRunId(string? runId, string field = "id") => ValidateName(runId, field);

    /// <summary>A name of 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit: run ids, secret names.</summary>
    public static string ValidateName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new AviaryValidationException(field, "must not be empty");
        if (!RunIdPattern().IsMatch(name))
            throw new AviaryValidationException(field, "must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        return name;
    }

    public const int MaxReasonLength = 500;

    /// <summary>A free-text reason (pause, abort, an override): trimmed, at most 500 characters, no control characters; empty when none.</summary>
    public static string ValidateReason(string? reason, string field = "reason")
    {
        var trimmed = (reason ?? "").Trim();
        if (trimmed.Length > MaxReasonLength)
            throw new AviaryValidationException(field, $"must be at most {MaxReasonLength} characters");
        if (trimmed.Any(char.IsControl))
            throw new AviaryValidationException(field, "must not contain control characters");
        return trimmed;
    }

    public static string ValidateVersion(string? version, string field = "version")
    {
        if (string.IsNullOrWhiteSpace(version))
            throw new AviaryValidationException(field, "must not be empty");
        if (version.Length > MaxVersionLength)
            throw new AviaryValidationException(field, $"must be at most {MaxVersionLength} characters");
        if (!VersionPattern().IsMatch(version))
            throw new AviaryValidationException(field, "must be letters, digits, '.', '_', '+' or '-', starting with a letter or digit");
        return version;
    }
}

using Aviary.Errors;

namespace Aviary.Models;

/// <summary>Rules for model names, versions and aliases, checked at every entry point.</summary>
public static class ModelNames
{
    /// <summary>A model's name is a service name: its versions are deployed to a gateway service of that name by default.</summary>
    public static string Validate(string? model, string field = "model") => Identifiers.ValidateService(model, field);

    /// <summary>An alias: a name (letters, digits, '.', '_', '-'), never of the form v&lt;number&gt;, which names versions.</summary>
    public static string ValidateAlias(string? alias, string field = "alias")
    {
        Identifiers.ValidateName(alias, field);
        if (IsVersionName(alias!))
            throw new AviaryValidationException(field, $"'{alias}' looks like a version (v<number>); an alias needs another name, e.g. champion");
        return alias!;
    }

    public static bool IsVersionName(string name) =>
        name.Length > 1 && name[0] == 'v' && name.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    public static string VersionName(int number) => $"v{number}";
}

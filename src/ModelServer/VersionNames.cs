namespace Aviary.ModelServer;

/// <summary>What a model or version name may be: 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit (so it is also a safe folder name).</summary>
public static class VersionNames
{
    public const string Rule = "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !char.IsAsciiLetterOrDigit(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
                return false;
        }
        return true;
    }
}

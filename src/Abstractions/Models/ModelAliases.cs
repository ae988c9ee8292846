namespace Aviary.Models;

/// <summary>The aliases Aviary itself moves: the version serving all traffic is champion.</summary>
public static class ModelAliases
{
    public const string Champion = "champion";
    public const string Challenger = "challenger";
}

namespace Aviary.Silo.Api;

/// <summary>A console sign-in: the API key to trade for a session cookie.</summary>
public sealed record SessionRequest(string? Key);

namespace Aviary.Gateway.Routing;

/// <summary>What routing may ask of a request, beyond its stickiness bucket: its headers and cookies.</summary>
public interface IRequestFacts
{
    /// <summary>The HTTP method, upper case.</summary>
    string Method { get; }

    /// <summary>The header's value, or null when the request has none.</summary>
    string? Header(string name);

    /// <summary>The cookie's value, or null when the request has none.</summary>
    string? Cookie(string name);
}

/// <summary>A request with no headers and no cookies.</summary>
public readonly struct NoFacts : IRequestFacts
{
    public string Method => "GET";

    public string? Header(string name) => null;

    public string? Cookie(string name) => null;
}

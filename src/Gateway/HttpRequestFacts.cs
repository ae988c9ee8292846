using Aviary.Gateway.Routing;
using Microsoft.AspNetCore.Http;

namespace Aviary.Gateway;

/// <summary>An ASP.NET request as the router sees it.</summary>
public readonly struct HttpRequestFacts(HttpRequest request) : IRequestFacts
{
    public string Method => request.Method;

    public string? Header(string name) => request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    public string? Cookie(string name) => request.Cookies.TryGetValue(name, out var value) ? value : null;
}

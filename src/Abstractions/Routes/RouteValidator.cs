using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary.Routes;

/// <summary>
/// Checks routing settings and destinations, throwing <see cref="AviaryValidationException"/> named
/// after the console option that carries the field, so the message points at what the user typed.
/// </summary>
public static partial class RouteValidator
{
    public const int MaxHosts = 16;
    public const int MaxDestinations = 32;
    public const int MaxUrlLength = 2048;
    public const int MaxPrefixLength = 128;
    public const int MaxNameLength = 64;

    [GeneratedRegex("^(?=.{1,253}\\z)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\z")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+\\z")]
    private static partial Regex PrefixPattern();

    // RFC 9110 token characters: what a header or cookie name may hold.
    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+\\z")]
    private static partial Regex TokenPattern();

    public static ServiceRouting Validate(ServiceRouting? routing)
    {
        if (routing is null)
            throw new AviaryValidationException("routing", "must be given");
        var hosts = routing.Hosts ?? throw new AviaryValidationException("host", "must be a list");
        if (hosts.Length > MaxHosts)
            throw new AviaryValidationException("host", $"at most {MaxHosts} host names");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            if (host is null || !HostPattern().IsMatch(host))
                throw new AviaryValidationException("host", $"'{host}' is not a lower-case host name (letters, digits, '-', dot-separated; no port, no scheme)");
            if (!seen.Add(host))
                throw new AviaryValidationException("host", $"'{host}' is listed twice");
        }
        var prefix = routing.PathPrefix ?? "";
        if (prefix.Length > 0 && (prefix.Length > MaxPrefixLength || !PrefixPattern().IsMatch(prefix)))
            throw new AviaryValidationException("path-prefix",
                $"must be empty or a path such as /shop: '/'-separated segments of letters, digits, '.', '_', '~', '-', no trailing '/', at most {MaxPrefixLength} characters");
        if (hosts.Length == 0 && prefix.Length == 0)
            throw new AviaryValidationException("host", "give at least one host name or a path prefix, or every request would match");
        ValidateName("sticky-header", routing.StickyHeader);
        ValidateName("sticky-cookie", routing.StickyCookie);
        if (routing.StickyHeader is { Length: > 0 } && routing.StickyCookie is { Length: > 0 })
            throw new AviaryValidationException("sticky-cookie", "give a sticky header or a sticky cookie, not both");
        return routing;
    }

    /// <summary>Absolute http(s) base URLs, no credentials, query or fragment, none twice.</summary>
    public static string[] ValidateDestinations(string[]? destinations, string field = "to")
    {
        if (destinations is null)
            return [];
        if (destinations.Length > MaxDestinations)
            throw new AviaryValidationException(field, $"at most {MaxDestinations} destinations per version");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in destinations)
        {
            if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength)
                throw new AviaryValidationException(field, $"each destination must be a URL of 1 to {MaxUrlLength} characters");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new AviaryValidationException(field, $"'{url}' is not an absolute http:// or https:// URL");
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || url.Any(char.IsControl))
                throw new AviaryValidationException(field, $"'{url}' must not carry credentials, a query or a fragment");
            if (!seen.Add(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')))
                throw new AviaryValidationException(field, $"'{url}' is listed twice");
        }
        return destinations;
    }

    /// <summary>True for a header or cookie name: RFC 9110 token characters, at most <see cref="MaxNameLength"/>.</summary>
    public static bool IsName(string? name) => name is { Length: > 0 and <= MaxNameLength } && TokenPattern().IsMatch(name);

    private static void ValidateName(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
            return;
        if (!IsName(name))
            throw new AviaryValidationException(field, $"'{name}' is not a header or cookie name (letters, digits and !#$%&'*+.^_`|~-, at most {MaxNameLength})");
    }
}

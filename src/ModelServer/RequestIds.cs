namespace Aviary.ModelServer;

/// <summary>A request's id: the caller's <c>x-request-id</c> when it is a sensible one (1–128 visible ASCII characters), else a new one.</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    public const string ShadowHeader = "x-aviary-shadow";

    public static string From(string? header)
    {
        if (!string.IsNullOrEmpty(header) && header.Length <= 128)
        {
            var ok = true;
            foreach (var c in header)
                ok &= c is > ' ' and < (char)127;
            if (ok)
                return header;
        }
        return Guid.NewGuid().ToString("N");
    }
}

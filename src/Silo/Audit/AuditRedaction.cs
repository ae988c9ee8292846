using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aviary.Silo.Audit;

/// <summary>
/// A request body as the audit log keeps it: values of fields whose names say they are secrets
/// (token, secret, password, key, credential, authorization) replaced by <c>***</c>, in JSON by
/// field, in any other text by <c>name: value</c> or <c>name=value</c> pairs; at most
/// <see cref="MaxKept"/> characters.
/// </summary>
public static partial class AuditRedaction
{
    public const int MaxKept = 16 * 1024;
    public const string Hidden = "***";

    [GeneratedRegex("token|secret|password|passwd|apikey|api_key|api-key|credential|authorization|^key$|privatekey|private_key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_-]*)(?<sep>\s*[:=]\s*)(?<value>""[^""]*""|'[^']*'|[^\s,;&}]+)")]
    private static partial Regex Pair();

    public static string Redact(string body, bool json)
    {
        if (json)
        {
            try
            {
                var node = JsonNode.Parse(body);
                Hide(node);
                return Keep(node?.ToJsonString() ?? "null");
            }
            catch (JsonException)
            {
                // Not JSON after all: redact it as text.
            }
        }
        return Keep(Pair().Replace(body, m => SecretName().IsMatch(m.Groups["name"].Value) ? $"{m.Groups["name"].Value}{m.Groups["sep"].Value}{Hidden}" : m.Value));
    }

    private static void Hide(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (SecretName().IsMatch(name) && value is not JsonObject and not JsonArray)
                        obj[name] = Hidden;
                    else
                        Hide(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    Hide(item);
                break;
        }
    }

    private static string Keep(string text) => text.Length <= MaxKept ? text : text[..MaxKept] + "…";
}

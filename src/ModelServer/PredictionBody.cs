using System.Text.Json;

namespace Aviary.ModelServer;

/// <summary>
/// A prediction request's features from its JSON body: <c>{"features": {...}}</c>, or the features
/// as a flat object. The values stay valid while the parsed document lives.
/// </summary>
public static class PredictionBody
{
    /// <summary>The features, or the reason the body is not a request.</summary>
    public static (Dictionary<string, JsonElement>? Features, string? Error) Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return (null, $"the body must be a JSON object (got {root.ValueKind.ToString().ToLowerInvariant()})");
        var source = root;
        if (root.TryGetProperty("features", out var nested) && CountProperties(root) == 1)
        {
            if (nested.ValueKind != JsonValueKind.Object)
                return (null, "features must be an object of feature values");
            source = nested;
        }
        var features = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in source.EnumerateObject())
        {
            if (!features.TryAdd(property.Name, property.Value))
                return (null, $"feature '{Truncate(property.Name)}' is given twice");
        }
        return (features, null);
    }

    private static int CountProperties(JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
            count++;
        return count;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>What the API tests send and read besides JSON: a plan as YAML, and the field a problem names.</summary>
public static class ApiBodies
{
    public static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    /// <summary>The <c>field</c> of a problem answer, or null.</summary>
    public static async Task<string?> FieldAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("field", out var f) ? f.GetString() : null;
}

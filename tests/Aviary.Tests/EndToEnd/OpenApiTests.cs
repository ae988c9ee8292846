using System.Net;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Aviary.Tests.EndToEnd;

/// <summary>The real silo's OpenAPI document: valid, complete, behind a key; and its reference page, served without any CDN.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class OpenApiTests(SiloProcessFixture silo)
{
    private readonly HttpClient _viewer = silo.Api();

    [Fact]
    public async Task Document_IsValidOpenApi_AndHoldsEveryApiEndpoint_WithItsRole()
    {
        var json = await _viewer.GetStringAsync("/openapi/v1.json");

        var read = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        var missing = ApiSurface.All.Where(e => e.Route.StartsWith("/api/", StringComparison.Ordinal))
            .Where(e => document.Paths.TryGetValue(e.Route.TrimEnd('/') is { Length: > 0 } p ? p : "/", out var item) is false
                || item.Operations is null || !item.Operations.ContainsKey(new HttpMethod(e.Method)))
            .ToList();
        Assert.True(missing.Count == 0, $"not in the document: {string.Join(", ", missing)}");
        var deploy = document.Paths["/api/deployments/{service}/versions/{version}"].Operations![HttpMethod.Post];
        Assert.StartsWith("Role: operator or above.", deploy.Description);
        Assert.Contains("403", deploy.Responses!.Keys);
        Assert.Contains("bearer", document.Components!.SecuritySchemes!.Keys);
    }

    [Fact]
    public async Task DocumentAndReference_NeedAKey_AndThePageLoadsItsScriptFromTheSilo()
    {
        using var anonymous = new HttpClient { BaseAddress = silo.Http };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api-docs")).StatusCode);

        var page = await _viewer.GetStringAsync("/api-docs/");

        var scripts = Regex.Matches(page, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.False(Uri.TryCreate(src, UriKind.Absolute, out var u) && u.Scheme.StartsWith("http", StringComparison.Ordinal), $"{src} comes from elsewhere"));
        foreach (var src in scripts)
        {
            var script = await _viewer.GetAsync(new Uri(new Uri(silo.Http, "/api-docs/"), src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aviary.Tests.WebConsole;

/// <summary>
/// The web console's server side over plain HTTP: the page and its security headers, the session
/// cookie traded for a key, the CSRF header a cookie-authenticated change must carry, and the
/// reasons operators give.
/// </summary>
[Collection(WebConsoleCollection.Name)]
public sealed class ConsoleSessionTests(WebConsoleFixture web)
{
    [Fact]
    public async Task TheConsole_IsServedAtTheRoot_WithItsChartLibrary_AndStrictHeaders()
    {
        using var anonymous = new HttpClient { BaseAddress = web.Silo.Http };

        var page = await anonymous.GetAsync("/");
        var chart = await anonymous.GetAsync("/vendor/uPlot.iife.min.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"js/main.js\"></script>", await page.Content.ReadAsStringAsync());
        Assert.Equal(Aviary.Silo.Hosting.WebConsole.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", Aviary.Silo.Hosting.WebConsole.ContentSecurityPolicy);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Contains("var uPlot", await chart.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/deployments")).StatusCode); // the data is not
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookie_ThatReadsButChangesOnlyWithTheCsrfHeader_AndSignOutEndsIt()
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Silo.Http };
        var key = await web.KeyAsync("session-operator", "operator");

        var noHeader = await browser.PostAsJsonAsync("/api/session", new { key });
        var wrongKey = await SignInAsync(browser, key[..^2] + "xx");
        var signedIn = await SignInAsync(browser, key);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/session");
        var forged = await browser.PostAsync("/api/deployments/session-svc/versions/v1", null);
        using var asked = new HttpRequestMessage(HttpMethod.Post, "/api/deployments/session-svc/versions/v1") { Headers = { { "X-Aviary-Csrf", "1" } } };
        var allowed = await browser.SendAsync(asked);
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session") { Headers = { { "X-Aviary-Csrf", "1" } } };
        var signedOut = await browser.SendAsync(signOut);
        var after = await browser.GetAsync("/api/session");

        Assert.Equal((HttpStatusCode.Forbidden, "X-Aviary-Csrf"), (noHeader.StatusCode, await FieldAsync(noHeader)));
        Assert.Equal((HttpStatusCode.Unauthorized, "key"), (wrongKey.StatusCode, await FieldAsync(wrongKey)));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.StartsWith("aviary.session=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("session-operator", "operator", true), (me.GetProperty("name").GetString(), me.GetProperty("role").GetString(), me.GetProperty("authEnabled").GetBoolean()));
        Assert.Equal((HttpStatusCode.Forbidden, "X-Aviary-Csrf"), (forged.StatusCode, await FieldAsync(forged)));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var log = (await web.Silo.Api().GetFromJsonAsync<JsonElement>("/api/audit?limit=50")).EnumerateArray().ToList();
        Assert.Contains(log, e => e.GetProperty("target").GetString() == "/api/session" && e.GetProperty("outcome").GetString() == "accepted" && e.GetProperty("caller").GetString()!.StartsWith("key:", StringComparison.Ordinal));
        Assert.Contains(log, e => e.GetProperty("target").GetString() == "/api/session" && e.GetProperty("status").GetInt32() == 401);
        Assert.Contains(log, e => e.GetProperty("target").GetString() == "/api/deployments/session-svc/versions/v1" && e.GetProperty("status").GetInt32() == 403);
        Assert.DoesNotContain(log, e => e.GetRawText().Contains(key[4..], StringComparison.Ordinal) || e.GetRawText().Contains(key[..^2] + "xx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARevokedKey_EndsItsSessions()
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Silo.Http };
        var key = await web.KeyAsync("session-revoked", "viewer");
        (await SignInAsync(browser, key)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/deployments")).StatusCode);

        (await web.Silo.Api().DeleteAsync($"/api/keys/{key[4..16]}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/deployments")).StatusCode);
    }

    [Fact]
    public async Task EveryRolloutVerb_TakesABoundedReason_KeptInTheAuditLog()
    {
        using var api = web.Silo.Api();
        (await api.PostAsync("/api/deployments/reasoned/versions/v1", null)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/deployments/reasoned/versions/v2", new { interval = "01:00:00", bake = "01:00:00" })).EnsureSuccessStatusCode();

        var tooLong = await api.PostAsync($"/api/deployments/reasoned/promote?reason={new string('x', 501)}", null);
        var control = await api.PostAsync("/api/deployments/reasoned/resume?reason=a%0Ab", null);
        var promoted = await api.PostAsync("/api/deployments/reasoned/promote?reason=looks%20good", null);

        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (tooLong.StatusCode, await FieldAsync(tooLong)));
        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (control.StatusCode, await FieldAsync(control)));
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var rollout = await api.GetFromJsonAsync<JsonElement>("/api/deployments/reasoned/rollouts/1");
        Assert.Equal(1, rollout.GetProperty("stageIndex").GetInt32()); // the refused promote changed nothing; the accepted one moved one stage
        var log = await api.GetFromJsonAsync<JsonElement>("/api/audit?service=reasoned");
        Assert.Contains(log.EnumerateArray(), e => e.GetProperty("target").GetString() == "/api/deployments/reasoned/promote?reason=looks%20good");
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/session")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key }), Encoding.UTF8, "application/json"),
            Headers = { { "X-Aviary-Csrf", "1" } },
        };
        return browser.SendAsync(request);
    }

    private static async Task<string?> FieldAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("field", out var field) ? field.GetString() : null;
}

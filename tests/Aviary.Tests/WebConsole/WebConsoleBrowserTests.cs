using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aviary.Tests.WebConsole;

/// <summary>
/// The web console in a real browser against a real silo: sign in, watch a rollout advance and a
/// rollback appear without a reload, pause from the page, watch a workflow's DAG change colour,
/// be refused an operator's action as a viewer. Writes the screenshots in docs/screenshots and
/// prints the timings docs/benchmarks.md records.
/// </summary>
[Collection(WebConsoleCollection.Name)]
public sealed class WebConsoleBrowserTests(WebConsoleFixture web, ITestOutputHelper output)
{
    /// <summary>Checks that never come on their own during a test: the rollout moves only when told.</summary>
    private static readonly object Held = new { interval = "01:00:00", bake = "01:00:00", stages = new[] { 10, 50, 100 } };

    [Fact]
    public async Task Rollout_AdvancesLive_IsPausedFromThePage_AndARollbackAppears_WithoutAReload()
    {
        using var api = web.Silo.Api();
        (await api.PostAsync("/api/deployments/shop/versions/v1", null)).EnsureSuccessStatusCode();
        (await api.PostAsync("/api/deployments/cart/versions/v1", null)).EnsureSuccessStatusCode();
        var page = await web.SignedInAsync();
        await page.EvaluateAsync("() => { window.aviaryNoReload = true; }");

        // Started after the page loaded: the row changes live.
        (await api.PostAsJsonAsync("/api/deployments/shop/versions/v2", Held)).EnsureSuccessStatusCode();
        var shop = page.Locator("tr[data-service=shop]");
        await Expect(shop).ToHaveAttributeAsync("data-status", "progressing");
        await Expect(shop).ToHaveAttributeAsync("data-weight", "10");

        await shop.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "v2 (#1)" }).ClickAsync();
        await Expect(page.Locator("#rollout-weight")).ToHaveTextAsync("10 %");
        await WatchAsync(page, "document.querySelector('#rollout-weight')?.textContent === '50 %'");
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (await api.PostAsync("/api/deployments/shop/promote?reason=web%20test", null)).EnsureSuccessStatusCode();
        await Expect(page.Locator("#rollout-weight")).ToHaveTextAsync("50 %");
        var apiToVisible = await SeenAtAsync(page) - sent;
        await Expect(page.Locator(".stages li.current")).ToHaveTextAsync("50 %");

        // Escape closes a dialog and does nothing; focus goes back to the button that opened it.
        await page.Locator("button[data-action=abort]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("dialog #reason")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("dialog")).ToHaveCountAsync(0);
        await Expect(page.Locator("button[data-action=abort]")).ToBeFocusedAsync();
        await page.ClickAsync("button[data-action=pause]");
        await Expect(page.Locator("dialog #reason")).ToBeFocusedAsync();
        await page.FillAsync("dialog #reason", "hold for the browser test");
        await page.ClickAsync("dialog button[type=submit]");
        await Expect(page.Locator("#rollout-status")).ToHaveAttributeAsync("data-status", "paused");
        await Expect(page.Locator("#pause-reason")).ToHaveTextAsync("hold for the browser test");
        var rollout = await api.GetFromJsonAsync<JsonElement>("/api/deployments/shop/rollouts/1");
        Assert.Equal(("paused", "hold for the browser test"), (rollout.GetProperty("status").GetString(), rollout.GetProperty("pauseReason").GetString()));
        // Traffic for the charts: a batch for each version each time the page has drawn the last one (an aggregate a second).
        var posted = -1;
        await Poll.UntilAsync(async () =>
        {
            var points = int.Parse(await page.Locator("#chart-p95").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (points > posted)
            {
                posted = points;
                (await api.PostAsJsonAsync("/api/deployments/shop/versions/v1/samples", Samples(points, errorEvery: 50, baseMs: 20))).EnsureSuccessStatusCode();
                (await api.PostAsJsonAsync("/api/deployments/shop/versions/v2/samples", Samples(points, errorEvery: 12, baseMs: 28))).EnsureSuccessStatusCode();
            }
            return points >= 6;
        }, "six seconds of charted traffic");
        await Expect(page.Locator("#requests tr", new PageLocatorOptions { HasText = "canary" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "rollout.png"), FullPage = true });

        // A canary that fails its first check is rolled back; the list shows it without a reload.
        await page.ClickAsync("#nav a[href='#/deployments']");
        var cart = page.Locator("tr[data-service=cart]");
        await Expect(cart).ToHaveAttributeAsync("data-status", "stable");
        (await api.PostAsJsonAsync("/api/deployments/cart/versions/v2", new { interval = "00:00:00.500", bake = "01:00:00", minSamples = 5, failureLimit = 1, maxErrorRate = 0.1 })).EnsureSuccessStatusCode();
        var failing = Enumerable.Range(0, 20).Select(_ => new { ok = false, latencyMs = 20 }).ToArray();
        await Poll.UntilAsync(async () =>
        {
            if ((await api.GetFromJsonAsync<JsonElement>("/api/deployments/cart")).GetProperty("rollout").GetProperty("status").GetString() == "rolledBack")
                return true;
            // Once rolled back, v2 is no longer deployed and its samples are refused (409): the next look sees it.
            var posted = await api.PostAsJsonAsync("/api/deployments/cart/versions/v2/samples", failing);
            if (posted.StatusCode != HttpStatusCode.Conflict)
                posted.EnsureSuccessStatusCode();
            return false;
        }, "cart's failing canary rolled back");
        await Expect(cart).ToHaveAttributeAsync("data-status", "rolledBack");
        await Expect(cart.Locator(".s-unhealthy")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "deployments.png"), FullPage = true });

        Assert.True(await page.EvaluateAsync<bool>("() => window.aviaryNoReload === true"), "the page was never reloaded");
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/audit?service=shop");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("target").GetString() == "/api/deployments/shop/pause?reason=hold%20for%20the%20browser%20test"
            && e.GetProperty("caller").GetString()!.StartsWith("key:", StringComparison.Ordinal) && e.GetProperty("outcome").GetString() == "accepted");

        var shownAfter = await page.EvaluateAsync<double[]>("() => window.aviaryTimings.filter(t => t.shown !== null && t.kind === 'rollout').map(t => t.shown - t.received)");
        Assert.NotEmpty(shownAfter);
        output.WriteLine($"api call → visible (promote → 50 %): {apiToVisible:0} ms");
        output.WriteLine($"event → visible, rollout messages ({shownAfter.Length}): median {Median(shownAfter):0.0} ms, max {shownAfter.Max():0.0} ms");
    }

    [Fact]
    public async Task WorkflowDag_ChangesColourLive_AsADeadLetteredTaskIsRetriedAndTheRunFinishes()
    {
        using var api = web.Silo.Api();
        var run = $"web-{Guid.NewGuid():N}"[..16];
        var plan = $"name: nightly\ntasks:\n  - id: load\n    agent: noop\n  - id: flaky\n    agent: simulated\n    input: {{ failAttempts: \"1\", run: {run} }}\n    retry: {{ maxAttempts: 1 }}\n    dependsOn: [load]\n  - id: side\n    agent: noop\n    dependsOn: [load]\n  - id: report\n    agent: noop\n    dependsOn: [flaky, side]\n";
        (await api.PostAsync($"/api/workflows/{run}", new StringContent(plan, Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "failed", "the run failed on its flaky task");
        var page = await web.SignedInAsync();

        await page.ClickAsync("#nav a[href='#/deadletters']");
        var letter = page.Locator("#deadletters tr", new PageLocatorOptions { HasText = $"{run} / flaky" });
        await Expect(letter).ToBeVisibleAsync();
        await letter.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Inspect" }).ClickAsync();
        await Expect(page.Locator("#deadletter-detail h2")).ToHaveTextAsync($"{run}:flaky");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "deadletters.png"), FullPage = true });

        await letter.GetByRole(AriaRole.Link).ClickAsync();
        var flaky = page.Locator("g.node[data-task=flaky]");
        await Expect(flaky).ToHaveAttributeAsync("data-status", "deadLettered");
        await Expect(page.Locator("g.node[data-task=report]")).Not.ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("#critical-path")).ToContainTextAsync("load → flaky → report");
        await flaky.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#task-detail")).ToContainTextAsync("simulated failure of attempt 1");

        await WatchAsync(page, "document.querySelector('g.node[data-task=flaky]')?.dataset.status === 'succeeded'");
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (await api.PostAsync($"/api/deadletters/{run}:flaky/retry", null)).EnsureSuccessStatusCode();
        await Expect(flaky).ToHaveAttributeAsync("data-status", "succeeded");
        var retryToGreen = await SeenAtAsync(page) - sent;
        await Expect(page.Locator("g.node[data-task=report]")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("#workflow-status")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("#task-detail .events li").Last).ToContainTextAsync("attempt 2 · succeeded");
        await Expect(page.Locator("g.node.critical")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "workflow-dag.png"), FullPage = true });
        output.WriteLine($"api call → visible (retry → task green, the task ran between): {retryToGreen:0} ms");
    }

    [Fact]
    public async Task Viewer_SeesOperatorActionsDisabledWithWhy_AndTheApiRefusesThemFromThePage()
    {
        using var api = web.Silo.Api();
        (await api.PostAsync("/api/deployments/viewed/versions/v1", null)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/deployments/viewed/versions/v2", Held)).EnsureSuccessStatusCode();
        var page = await web.SignedInAsync(await web.KeyAsync("web-viewer", "viewer"));

        await page.GotoAsync("/#/rollouts/viewed/1");
        var pause = page.Locator("button[data-action=pause]");
        await Expect(pause).ToHaveAttributeAsync("aria-disabled", "true");
        await Expect(pause).ToHaveAttributeAsync("title", "Pause needs the operator role; you are signed in as a viewer");
        await pause.ClickAsync(new LocatorClickOptions { Force = true }); // aria-disabled: Playwright would wait for it to be enabled
        await Expect(page.Locator("dialog")).ToHaveCountAsync(0);
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/api/deployments/viewed/pause?reason=x', { method: 'POST', headers: { 'X-Aviary-Csrf': '1' } })).status");
        await page.ClickAsync("#nav a[href='#/audit']");
        await Expect(page.Locator("main")).ToContainTextAsync("The audit log needs the admin role.");

        Assert.Equal(403, status);
        Assert.Equal("progressing", (await api.GetFromJsonAsync<JsonElement>("/api/deployments/viewed/rollouts/1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pages_PaintFast_AndFitAPhone()
    {
        using var api = web.Silo.Api();
        (await api.PostAsync("/api/deployments/phone/versions/v1", null)).EnsureSuccessStatusCode();
        var page = await web.SignedInAsync();
        var paints = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await page.ReloadAsync();
            await Expect(page.Locator("tr[data-service=phone]")).ToBeVisibleAsync();
            paints.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByName('aviary:deployments-rendered')[0].startTime"));
        }
        await page.ClickAsync("#nav a[href='#/audit']");
        await Expect(page.Locator("#audit tbody tr").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "audit.png") });
        await page.ClickAsync("#nav a[href='#/agents']");
        await Expect(page.Locator("#agents tbody tr").First).ToBeVisibleAsync();

        // An approval link the silo does not know says so (the approvals API answers 404).
        await page.GotoAsync("/#/approve/nope-not-a-token");
        await Expect(page.Locator("#approval-missing")).ToHaveTextAsync("This approval link is not known or has expired.");

        var phone = await web.SignedInAsync(width: 390, height: 844);
        await Expect(phone.Locator("tr[data-service=phone]")).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(web.Screenshots, "deployments-phone.png"), FullPage = true });

        Assert.False(overflow, "the page is wider than a phone's screen (tables scroll inside their own box)");
        output.WriteLine($"first meaningful paint (navigation → deployments table), 5 reloads: median {Median([.. paints]):0} ms, max {paints.Max():0} ms");
    }

    [Fact]
    public async Task TwoPersonRule_AnOperatorApprovesFromThePage_AndTheRolloutCountsThem()
    {
        using var api = web.Silo.Api();
        (await api.PutAsJsonAsync("/api/guardrails", new { approvals = new[] { new { service = "two-person-web", required = 2 } } })).EnsureSuccessStatusCode();
        try
        {
            (await api.PostAsync("/api/deployments/two-person-web/versions/v1", null)).EnsureSuccessStatusCode();
            (await api.PostAsJsonAsync("/api/deployments/two-person-web/versions/v2", Held)).EnsureSuccessStatusCode();
            var page = await web.SignedInAsync(await web.KeyAsync("approver-web", "operator"));

            await page.GotoAsync("/#/rollouts/two-person-web/1");
            await page.ClickAsync("button[data-action=approve]");
            await page.FillAsync("dialog #reason", "reviewed the diff");
            await page.ClickAsync("dialog button[type=submit]");

            await Expect(page.Locator("#transitions")).ToContainTextAsync("approved by key:");
            var rollout = await api.GetFromJsonAsync<JsonElement>("/api/deployments/two-person-web/rollouts/1");
            Assert.Single(rollout.GetProperty("approvals").EnumerateArray());
            Assert.Equal(0, rollout.GetProperty("stageIndex").GetInt32());
        }
        finally
        {
            (await api.PutAsJsonAsync("/api/guardrails", new { })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task WithAuthenticationOff_ThePageSkipsItsLogin()
    {
        await using var open = await EmbeddedSilo.StartAsync("--auth", "false");
        await using var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = open.Http.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");

        await Expect(page.Locator("#deployments table")).ToBeVisibleAsync();
        await Expect(page.Locator("#whoami")).ToHaveTextAsync("local · admin");
        await Expect(page.Locator("#logout")).ToBeHiddenAsync();
        await Expect(page.Locator("#key")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Has the page note the wall-clock time (the machine's clock, which the test shares) at which
    /// the DOM first satisfies <paramref name="condition"/>, seen by a MutationObserver: no polling.
    /// </summary>
    private static Task WatchAsync(IPage page, string condition) =>
        // The condition is part of the evaluated text: the page's CSP forbids the page itself eval-like calls.
        page.EvaluateAsync("() => { window.aviarySeen = new Promise(resolve => { const holds = () => (" + condition + "); "
            + "const o = new MutationObserver(() => { if (holds()) { o.disconnect(); resolve(Date.now()); } }); "
            + "o.observe(document.getElementById('main'), { subtree: true, childList: true, characterData: true, attributes: true }); }); }");

    private static Task<double> SeenAtAsync(IPage page) => page.EvaluateAsync<double>("() => window.aviarySeen");

    /// <summary>Forty outcomes: one error in <paramref name="errorEvery"/>, latencies around <paramref name="baseMs"/>, varied by <paramref name="seed"/>.</summary>
    private static object[] Samples(int seed, int errorEvery, double baseMs) =>
        [.. Enumerable.Range(0, 40).Select(i => new { ok = (i + seed) % errorEvery != 0, latencyMs = baseMs + (i * 7 + seed * 13) % 30 })];

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}

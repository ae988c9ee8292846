using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Aviary.Tests.WebConsole;

/// <summary>
/// A real silo (authentication on) and a real browser: Debian's chromium driven by Playwright
/// (which cannot download browsers here), headless, each test in a fresh context.
/// </summary>
public sealed class WebConsoleFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>How long any one thing the page shows may take (generous: two cores shared with other builds).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private EmbeddedSilo? _silo;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public EmbeddedSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>
    /// Where the screenshots go: docs/screenshots (shown in README) when <c>AVIARY_SCREENSHOTS=docs</c>,
    /// else a folder of the test run's own, so that running the tests leaves the clone unchanged.
    /// </summary>
    public string Screenshots { get; } = Environment.GetEnvironmentVariable("AVIARY_SCREENSHOTS") == "docs"
        ? Path.Combine(RepoPaths.Root, "docs", "screenshots")
        : Directory.CreateTempSubdirectory("aviary-screenshots-").FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does");
        _silo = await EmbeddedSilo.StartAsync("--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000");
        _playwright = await Playwright.CreateAsync();
        // Launch gives every run a fresh, temporary profile (user-data dir) of its own.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A fresh browser context (no cookies) with a page at the console, signed in with <paramref name="key"/> (default: the admin key).</summary>
    public async Task<IPage> SignedInAsync(string? key = null, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Silo.Http.ToString() });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/deployments");
        await page.FillAsync("#key", key ?? Silo.AdminKey);
        await page.ClickAsync("form.login button[type=submit]");
        await Assertions.Expect(page.Locator("#deployments table")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        return page;
    }

    /// <summary>A new API key with <paramref name="role"/>, made by the admin.</summary>
    public async Task<string> KeyAsync(string name, string role)
    {
        using var admin = Silo.Api();
        var response = await admin.PostAsJsonAsync("/api/keys", new { name, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_silo is not null)
            await _silo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebConsoleCollection : ICollectionFixture<WebConsoleFixture>
{
    public const string Name = "web console";
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Aviary.Bench;

/// <summary>
/// Debian's wrk (closed loop: as fast as the target answers, at a fixed connection count) and hey
/// (open loop at a fixed rate; hey also as fast as the target answers, and POSTing JSON), run
/// against a URL with a Host header (hey: when given), their figures parsed.
/// </summary>
public static partial class LoadTool
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx);

    public static async Task<Result> WrkAsync(Uri url, string host, int connections, TimeSpan duration)
    {
        var output = await RunAsync("wrk", ["-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-H", $"Host: {host}", url.ToString()]);
        var rps = double.Parse(RpsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonOkLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new Result(rps, WrkPercentile(output, "50%"), WrkPercentile(output, "99%"), non2xx);
    }

    /// <summary>hey at <paramref name="rate"/> requests per second in all, spread over <paramref name="connections"/> workers; a POST of <paramref name="json"/> when given.</summary>
    public static Task<Result> HeyAsync(Uri url, string? host, int connections, double rate, TimeSpan duration, string? json = null)
    {
        var perWorker = Math.Max(1, rate / connections).ToString("0.##", CultureInfo.InvariantCulture);
        return HeyRunAsync(url, host, connections, duration, json, ["-q", perWorker]);
    }

    /// <summary>hey as fast as the target answers (closed loop) with <paramref name="connections"/> workers; a POST of <paramref name="json"/> when given.</summary>
    public static Task<Result> HeyClosedAsync(Uri url, int connections, TimeSpan duration, string? json = null, string? host = null) =>
        HeyRunAsync(url, host, connections, duration, json, []);

    private static async Task<Result> HeyRunAsync(Uri url, string? host, int connections, TimeSpan duration, string? json, string[] rate)
    {
        string[] post = json is null ? [] : ["-m", "POST", "-T", "application/json", "-d", json];
        string[] hostHeader = host is null ? [] : ["-host", host];
        var output = await RunAsync("hey", ["-z", $"{(int)duration.TotalSeconds}s", "-c", connections.ToString(CultureInfo.InvariantCulture), .. rate, .. post, .. hostHeader, url.ToString()]);
        var rps = double.Parse(HeyRps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        double P(string q) => double.Parse(HeyPercentile().Matches(output).First(x => x.Groups[1].Value == q).Groups[2].Value, CultureInfo.InvariantCulture) * 1000;
        var statuses = HeyStatus().Matches(output).Where(x => x.Groups[1].Value != "200").Sum(x => long.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture));
        return new Result(rps, P("50"), P("99"), statuses);
    }

    private static double WrkPercentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static async Task<string> RunAsync(string tool, string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install {tool})");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RpsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonOkLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex HeyRps();

    [GeneratedRegex(@"(\d+)%+ in ([\d.]+) secs")]
    private static partial Regex HeyPercentile();

    [GeneratedRegex(@"\[(\d{3})\]\s+(\d+) responses")]
    private static partial Regex HeyStatus();
}

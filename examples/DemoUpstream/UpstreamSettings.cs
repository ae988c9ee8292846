using System.Globalization;

namespace Aviary.DemoUpstream;

/// <summary>What the demo upstream is told on its command line.</summary>
public sealed record UpstreamSettings(int Port, string Version, double ErrorRate, TimeSpan Latency, int Seed, bool SameBody = false)
{
    public static bool TryParse(string[] args, out UpstreamSettings settings, out string? error)
    {
        settings = new UpstreamSettings(0, "1.0.0", 0, TimeSpan.Zero, 1);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                error = $"{args[i]}: needs a value";
                return false;
            }
            switch (args[i])
            {
                case "--port" when int.TryParse(value, out var port) && port is > 0 and < 65536:
                    settings = settings with { Port = port };
                    break;
                case "--version" when value.Length is > 0 and <= 128:
                    settings = settings with { Version = value };
                    break;
                case "--error-rate" when double.TryParse(value, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1:
                    settings = settings with { ErrorRate = rate };
                    break;
                case "--latency" when value.EndsWith("ms") && double.TryParse(value[..^2], CultureInfo.InvariantCulture, out var ms) && ms is >= 0 and <= 60_000:
                    settings = settings with { Latency = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "--same-body" when bool.TryParse(value, out var same):
                    settings = settings with { SameBody = same };
                    break;
                case "--seed" when int.TryParse(value, out var seed):
                    settings = settings with { Seed = seed };
                    break;
                default:
                    error = $"{args[i]}: unknown option or bad value '{value}' (--port 1-65535, --version, --error-rate 0..1, --latency 40ms, --seed N, --same-body true|false)";
                    return false;
            }
            i++;
        }
        if (settings.Port == 0)
            error = "--port: is required";
        return error is null;
    }
}

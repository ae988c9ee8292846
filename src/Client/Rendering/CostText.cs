using Aviary.Workflows;

namespace Aviary.Client.Rendering;

/// <summary>How a <see cref="ResourceUse"/> reads in a table cell.</summary>
public static class CostText
{
    public static string Wall(ResourceUse use) => Measured(use.Wall);

    public static string Cpu(ResourceUse use) => Measured(use.Cpu);

    /// <summary>A measured time: milliseconds below a second, then seconds to two decimals (a policy's
    /// round <c>1m30s</c> form would show 1.9 s of work as <c>1s</c>).</summary>
    public static string Measured(TimeSpan value) =>
        value < TimeSpan.FromSeconds(1) ? $"{value.TotalMilliseconds:0}ms"
        : value < TimeSpan.FromMinutes(1) ? $"{value.TotalSeconds:0.00}s"
        : Durations.Format(value);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GB",
    };
}

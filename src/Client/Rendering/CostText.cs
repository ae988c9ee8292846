using Aviary.Workflows;

namespace Aviary.Client.Rendering;

/// <summary>How a <see cref="ResourceUse"/> reads in a table cell.</summary>
public static class CostText
{
    public static string Wall(ResourceUse use) => Durations.Format(use.Wall);

    public static string Cpu(ResourceUse use) => Durations.Format(use.Cpu);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GB",
    };
}

namespace Aviary.Agents;

/// <summary>
/// Where agents read their inputs and write their results. Results are files; a task's result
/// reference is the path of its file, relative to <see cref="OutputRoot"/>.
/// </summary>
public sealed class AgentFiles(string inputRoot, string outputRoot)
{
    public string InputRoot { get; } = Path.GetFullPath(inputRoot);

    public string OutputRoot { get; } = Path.GetFullPath(outputRoot);

    /// <summary>An input path as a plan gives it: absolute, or relative to the input root.</summary>
    public string Input(string path) => Path.GetFullPath(Path.Combine(InputRoot, path));

    /// <summary>The state of an input file as far as a result cache cares: its full path, size and last write; "" when it does not exist.</summary>
    public string InputState(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return "";
        var file = new FileInfo(Input(path));
        return file.Exists ? $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}" : "";
    }

    /// <summary>
    /// A result reference resolved to its file, which is always under <see cref="OutputRoot"/>: a
    /// reference given in a plan as <c>/etc/passwd</c> or <c>../../x</c> is refused, not read.
    /// </summary>
    public string Result(string resultRef)
    {
        var full = Path.GetFullPath(Path.Combine(OutputRoot, resultRef));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(OutputRoot) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"'{resultRef}' is not a result of this cluster's runs (results live under the outputs folder)");
        return full;
    }

    /// <summary>A new result file for one attempt of one task; returns its reference and full path.</summary>
    public (string Ref, string Path) NewResult(AgentRequest request, string extension)
    {
        var safeTask = string.Concat(request.TaskId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var reference = System.IO.Path.Combine(request.RunId, $"{safeTask}.{request.Attempt}{extension}");
        var full = Result(reference);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return (reference, full);
    }
}

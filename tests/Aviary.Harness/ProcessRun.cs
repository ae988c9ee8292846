using System.Diagnostics;
using System.Text;

namespace Aviary.Harness;

/// <summary>A child process whose output is collected and whose lines can be awaited.</summary>
public sealed class ProcessRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private ProcessRun(Process process) => _process = process;

    public static ProcessRun Start(string dll, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new ProcessRun(process);
        process.OutputDataReceived += (_, e) => run.Append(run._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(run._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dll, TimeSpan timeout, params string[] args)
    {
        await using var run = Start(dll, args);
        var code = await run.WaitForExitAsync(timeout, string.Join(' ', args));
        return (code, run.Stdout, run.Stderr);
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when a line containing <paramref name="text"/> appears on stdout or stderr.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_awaited)
        {
            if (Stdout.Contains(text) || Stderr.Contains(text))
                return;
            _awaited.Add((text, seen));
        }
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (done != seen.Task)
            throw new TimeoutException($"'{text}' did not appear within {timeout.TotalSeconds} s (exited: {_process.HasExited}).\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{what}' did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drain the output readers
        return _process.ExitCode;
    }

    public void Signal(bool kill)
    {
        if (_process.HasExited)
            return;
        if (kill)
            _process.Kill(entireProcessTree: true);
        else
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.AppendLine(line);
        lock (_awaited)
        {
            foreach (var waiter in _awaited.ToArray())
            {
                if (line.Contains(waiter.Text))
                {
                    waiter.Seen.TrySetResult();
                    _awaited.Remove(waiter);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

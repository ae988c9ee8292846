using Aviary.Client.Api;
using Aviary.Client.Cli;
using Aviary.Models;
using Spectre.Console;

namespace Aviary.Client.Commands;

/// <summary>Follows a model's log for the demo: prints each new event once, and waits for a condition on the model.</summary>
public sealed class ModelEventLog(CommandContext context, ModelClient models, string model)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private int _shown;
    private string _lastNote = "";

    public async Task<ModelView> UntilAsync(Func<ModelView, bool> holds, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            while (true)
            {
                var view = await models.GetAsync(model, deadline.Token);
                Show(view);
                var monitor = await models.MonitorAsync(model, check: false, deadline.Token);
                if (!context.Output.Json && monitor.Note.Length > 0 && monitor.Note != _lastNote)
                    context.Console.MarkupLine($"   [grey]monitor: {Markup.Escape(monitor.Note)}[/]");
                _lastNote = monitor.Note;
                if (holds(view))
                    return view;
                await Task.Delay(500, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Errors.AviaryConflictException("demo", $"{what} did not happen within {Timeout.TotalMinutes:0} minutes");
        }
    }

    private void Show(ModelView view)
    {
        // The log is bounded: count from the events still held.
        var fresh = view.Events.Skip(Math.Min(_shown, view.Events.Length)).ToArray();
        _shown = view.Events.Length;
        if (context.Output.Json)
            return;
        foreach (var e in fresh)
        {
            var colour = e.Kind switch
            {
                ModelEventKind.Promoted => "green",
                ModelEventKind.RolledBack or ModelEventKind.RetrainFailed => "red",
                ModelEventKind.DriftDetected => "yellow",
                _ => "blue",
            };
            context.Console.MarkupLine($"   [{colour}]{Markup.Escape(e.Kind.ToString())}[/] {Markup.Escape(e.Message)}");
        }
    }
}

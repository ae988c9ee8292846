using Orleans.Storage;

namespace Aviary.Silo.Storage;

/// <summary>
/// One write waiting in a <see cref="SqliteCommitQueue"/>: it runs inside a shared transaction and
/// is answered only after that transaction commits. A refusal of this write alone (an ETag that
/// no longer matches) is kept for its writer and leaves the others' writes in the commit.
/// </summary>
internal abstract class CommitItem(long size)
{
    public long Size { get; } = size;

    public abstract void Run(CommitContext context);

    /// <summary>Answers the writer after the commit: its result, or the refusal <see cref="Run"/> met.</summary>
    public abstract void Complete();

    /// <summary>Answers the writer when the commit holding its write failed: nothing of it was stored.</summary>
    public abstract void Fail(Exception exception);
}

internal sealed class CommitItem<T>(Func<CommitContext, T> write, long size) : CommitItem(size)
{
    private T? _result;
    private InconsistentStateException? _refused;

    public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Run(CommitContext context)
    {
        try
        {
            _result = write(context);
        }
        catch (InconsistentStateException refused)
        {
            _refused = refused;
        }
    }

    public override void Complete()
    {
        if (_refused is not null)
            Done.TrySetException(_refused);
        else
            Done.TrySetResult(_result!);
    }

    public override void Fail(Exception exception) => Done.TrySetException(exception);
}

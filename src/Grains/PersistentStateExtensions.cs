namespace Aviary.Grains;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Makes <paramref name="next"/> the state and writes it; when the write fails the previous
    /// state is put back, so what a grain holds in memory never runs ahead of what is stored.
    /// </summary>
    public static async Task WriteOrRevertAsync<T>(this IPersistentState<T> store, T next)
    {
        var before = store.State;
        store.State = next;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State = before;
            throw;
        }
    }
}

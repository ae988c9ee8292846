namespace Aviary.Agents.Data;

/// <summary><c>aggregator</c>: group-by of <c>input.data</c> on column <c>input.by</c>, figures of column <c>input.value</c>.</summary>
public sealed class AggregatorAgent(AgentFiles files) : DatasetAgent(files)
{
    public override string Kind => "aggregator";

    protected override object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input)
    {
        var by = input.GetValueOrDefault("by") ?? throw new ArgumentException("input.by is required");
        var value = input.GetValueOrDefault("value") ?? throw new ArgumentException("input.value is required");
        return new { by, value, groups = Aggregator.GroupBy(data, by, value) };
    }
}

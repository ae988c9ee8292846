namespace Aviary.Agents.Data;

/// <summary><c>explorer</c>: column profiles of the dataset <c>input.data</c>.</summary>
public sealed class ExplorerAgent(AgentFiles files) : DatasetAgent(files)
{
    public override string Kind => "explorer";

    protected override object Compute(Dataset data, IReadOnlyList<string> issues, IReadOnlyDictionary<string, string> input) =>
        new { rows = data.Rows.Count, issues, columns = Explorer.Profile(data) };
}

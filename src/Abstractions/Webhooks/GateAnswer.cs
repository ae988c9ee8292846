namespace Aviary.Webhooks;

/// <summary>What the gating hooks said to a gating event: passed, refused (a non-2xx answer), or failed (no answer in time, an error).</summary>
[GenerateSerializer, Immutable, Alias("aviary.GateAnswer")]
public sealed record GateAnswer
{
    public static readonly GateAnswer Pass = new() { Passed = true };

    [Id(0)] public bool Passed { get; init; }
    /// <summary>No answer: a timeout or a connection error. Counts as a failed check (as Flagger's webhooks do).</summary>
    [Id(1)] public bool Failed { get; init; }
    /// <summary>The hook that refused or failed.</summary>
    [Id(2)] public string Hook { get; init; } = "";
    [Id(3)] public int? StatusCode { get; init; }
    /// <summary>The first 200 characters of the refusal's body.</summary>
    [Id(4)] public string Body { get; init; } = "";
    /// <summary>In words: <c>webhook 'x' answered 403: not in office hours</c>, <c>webhook 'x' did not answer in 5 s</c>.</summary>
    [Id(5)] public string Reason { get; init; } = "";
}

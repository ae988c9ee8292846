namespace Aviary.Rollouts;

/// <summary>One metric's result in a comparison of canary with stable. No data is never a pass.</summary>
[GenerateSerializer, Alias("aviary.Judgement")]
public enum Judgement
{
    Pass = 0,
    Fail = 1,
    NoData = 2,
}

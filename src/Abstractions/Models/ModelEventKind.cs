namespace Aviary.Models;

[GenerateSerializer, Alias("aviary.ModelEventKind")]
public enum ModelEventKind
{
    Registered = 0,
    AliasSet = 1,
    AliasRemoved = 2,
    DriftDetected = 3,
    RetrainStarted = 4,
    RetrainFailed = 5,
    RetrainNotBetter = 6,
    RolloutStarted = 7,
    Promoted = 8,
    RolledBack = 9,
    PolicySet = 10,
}

using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

[GenerateSerializer, Alias("aviary.ApprovalState")]
public sealed class ApprovalState
{
    [Id(0)] public ApprovalView? Approval { get; set; }
}

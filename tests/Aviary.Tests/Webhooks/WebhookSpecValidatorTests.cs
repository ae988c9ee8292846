using Aviary.Errors;
using Aviary.Webhooks;

namespace Aviary.Tests.Webhooks;

public sealed class WebhookSpecValidatorTests
{
    private static readonly WebhookSpec Good = new()
    {
        Id = "ci-hook",
        Url = "https://hooks.example.com/aviary",
        Service = "shop",
        Events = [WebhookEvents.RolloutStage, WebhookEvents.RolloutPaused, WebhookEvents.RolloutStage],
    };

    [Fact]
    public void Good_IsKept_EventsDistinctAndSorted()
    {
        var spec = WebhookSpecValidator.Validate(Good);

        Assert.Equal(["rollout.paused", "rollout.stage"], spec.Events);
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Timeout);
        Assert.Equal(5, spec.MaxAttempts);
    }

    public static TheoryData<WebhookSpec, string, string> Bad => new()
    {
        { Good with { Id = "" }, "id", "must not be empty" },
        { Good with { Id = "a/b" }, "id", "must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit" },
        { Good with { Id = new string('a', 65) }, "id", "must be at most 64 characters" },
        { Good with { Url = "" }, "url", "must not be empty" },
        { Good with { Url = "ftp://x/y" }, "url", "must be an absolute http or https URL (got 'ftp://x/y')" },
        { Good with { Url = "/relative" }, "url", "must be an absolute http or https URL (got '/relative')" },
        { Good with { Url = "https://u:p@x/" }, "url", "must not carry credentials (user:password@): receivers check the signature instead" },
        { Good with { Service = "Bad Name" }, "service", "must be lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit" },
        { Good with { Events = [] }, "events", "must name at least one event: rollout.starting, rollout.stage, rollout.confirm-promotion, rollout.paused, rollout.rolled-back, rollout.succeeded, rollout.aborted, workflow.completed, workflow.failed, workflow.dead-lettered, model.drift, model.retraining, model.retrain-failed, model.not-better, model.rollout, model.promoted, model.rolled-back" },
        { Good with { Events = ["rollout.stage", "rollout.exploded"] }, "events[1]", "must be one of rollout.starting, rollout.stage, rollout.confirm-promotion, rollout.paused, rollout.rolled-back, rollout.succeeded, rollout.aborted, workflow.completed, workflow.failed, workflow.dead-lettered, model.drift, model.retraining, model.retrain-failed, model.not-better, model.rollout, model.promoted, model.rolled-back (got 'rollout.exploded')" },
        { Good with { Events = ["workflow.failed"] }, "events", "'workflow.failed' concerns workflow runs, which belong to no service: give it a global hook" },
        { Good with { Format = WebhookFormat.Slack, Events = ["rollout.starting"] }, "events", "'rollout.starting' is gating: its receiver must answer Aviary's JSON, so the format must be json" },
        { Good with { Timeout = TimeSpan.FromSeconds(11) }, "timeout", "must be between 100 ms and 10 s" },
        { Good with { Timeout = TimeSpan.Zero }, "timeout", "must be between 100 ms and 10 s" },
        { Good with { MaxAttempts = 0 }, "maxAttempts", "must be between 1 and 10 (got 0)" },
        { Good with { MaxAttempts = 11 }, "maxAttempts", "must be between 1 and 10 (got 11)" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_IsRefused_NamingFieldAndRule(WebhookSpec spec, string field, string rule)
    {
        var error = Assert.Throws<AviaryValidationException>(() => WebhookSpecValidator.Validate(spec));

        Assert.Equal(field, error.Field);
        Assert.Equal(rule, error.Rule);
    }

    [Theory]
    [InlineData("rollout.stage", "shop", true)]
    [InlineData("rollout.stage", "cart", false)]
    [InlineData("rollout.aborted", "shop", false)]
    public void Matches_ServiceScopedHook(string name, string service, bool expected) =>
        Assert.Equal(expected, WebhookSpecValidator.Validate(Good).Matches(name, service));

    [Fact]
    public void Matches_GlobalHook_HearsEveryServiceAndRuns()
    {
        var global = WebhookSpecValidator.Validate(Good with { Service = null, Events = ["rollout.stage", "workflow.failed"] });

        Assert.True(global.Matches("rollout.stage", "anything"));
        Assert.True(global.Matches("workflow.failed", null));
    }
}

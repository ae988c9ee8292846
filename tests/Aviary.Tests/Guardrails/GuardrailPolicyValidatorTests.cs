using Aviary.Errors;
using Aviary.Guardrails;

namespace Aviary.Tests.Guardrails;

public sealed class GuardrailPolicyValidatorTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<GuardrailPolicy, string, string> Bad => new()
    {
        { new() { MaxActiveRollouts = -1 }, "maxActiveRollouts", "must be between 0 (no limit) and 100000" },
        { new() { Freezes = [new() { Name = "x", Cron = "0 18 * *", Duration = TimeSpan.FromHours(1) }] }, "freezes[0].cron", "must be five cron fields (minute hour day-of-month month day-of-week)" },
        { new() { Freezes = [new() { Name = "x", Cron = "0 18 * * FRI" }] }, "freezes[0].duration", "is required with cron, between 1 minute and 31 days" },
        { new() { Freezes = [new() { Name = "x", Cron = "0 18 * * FRI", Duration = TimeSpan.FromHours(1), TimeZone = "Mars/Olympus" }] }, "freezes[0].timeZone", "'Mars/Olympus' is not a known time zone (an IANA name such as Europe/Berlin)" },
        { new() { Freezes = [new() { Name = "x", From = At, Until = At }] }, "freezes[0].until", "must be after from" },
        { new() { Freezes = [new() { Name = "x" }] }, "freezes[0].from", "a window needs either cron + duration, or from + until" },
        { new() { Freezes = [new() { Name = "x", From = At, Until = At.AddDays(1) }, new() { Name = "x", From = At, Until = At.AddDays(1) }] }, "freezes[1].name", "'x' is named twice" },
        { new() { Freezes = [new() { Name = "x", Reason = "a\u0007b", From = At, Until = At.AddDays(1) }] }, "freezes[0].reason", "must not contain control characters" },
        { new() { Groups = [new() { Name = "g", Services = [], MaxActive = 1 }] }, "groups[0].services", "must name 1 to 1000 services" },
        { new() { Groups = [new() { Name = "g", Services = ["Shop"], MaxActive = 1 }] }, "groups[0].services[0]", "must be lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit" },
        { new() { Groups = [new() { Name = "g", Services = ["a"], MaxActive = 0 }] }, "groups[0].maxActive", "must be between 1 and 100000" },
        { new() { Approvals = [new() { Service = "pay", Required = 11 }] }, "approvals[0].required", "must be between 1 and 10" },
        { new() { Approvals = [new() { Service = "pay", Required = 2 }, new() { Service = "pay", Required = 3 }] }, "approvals[1].service", "'pay' has two rules" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Validate_BadPolicy_NamesTheFieldAndTheRule(GuardrailPolicy policy, string field, string rule)
    {
        var error = Assert.Throws<AviaryValidationException>(() => GuardrailPolicyValidator.Validate(policy));

        Assert.Equal(field, error.Field);
        Assert.StartsWith(rule, error.Rule);
    }

    [Fact]
    public void Validate_FullPolicy_IsAccepted()
    {
        var policy = new GuardrailPolicy
        {
            Freezes = [new() { Name = "weekend", Cron = "0 18 * * FRI", Duration = TimeSpan.FromHours(62), TimeZone = "Europe/Berlin" }, new() { Name = "launch", From = At, Until = At.AddDays(3) }],
            MaxActiveRollouts = 5,
            Groups = [new() { Name = "payments", Services = ["pay", "ledger"], MaxActive = 1 }],
            Approvals = [new() { Service = "pay", Required = 2 }],
        };

        Assert.Same(policy, GuardrailPolicyValidator.Validate(policy));
        Assert.Equal(2, policy.RequiredApprovals("pay"));
        Assert.Equal(0, policy.RequiredApprovals("shop"));
    }
}

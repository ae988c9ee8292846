using Aviary.Errors;
using Aviary.Rollouts;

namespace Aviary.Tests.Rollouts;

public sealed class RolloutPolicyValidatorTests
{
    public static TheoryData<RolloutPolicy, string, string> BadPolicies => new()
    {
        { new RolloutPolicy { Stages = [] }, "stages", "must list at least one weight" },
        { new RolloutPolicy { Stages = [10, 50, 25, 100] }, "stages", "weights must rise strictly (50 then 25)" },
        { new RolloutPolicy { Stages = [10, 10, 100] }, "stages", "weights must rise strictly (10 then 10)" },
        { new RolloutPolicy { Stages = [10, 50, 75] }, "stages", "must end at 100 (ends at 75)" },
        { new RolloutPolicy { Stages = [10, 50, 120] }, "stages", "each weight must be between 1 and 100, or 0 for a canary's first (shadow) stage (got 120)" },
        { new RolloutPolicy { Stages = [0] }, "stages", "a first weight of 0 (a shadow stage) needs a canary with more stages after it" },
        { new RolloutPolicy { Strategy = Strategy.BlueGreen, Stages = [0] }, "stages", "a first weight of 0 (a shadow stage) needs a canary with more stages after it" },
        { new RolloutPolicy { BakeTime = TimeSpan.FromSeconds(-1) }, "bake", "must not be negative" },
        { new RolloutPolicy { CheckInterval = TimeSpan.FromSeconds(-5) }, "interval", "must be at least 100 ms" },
        { new RolloutPolicy { MaxErrorRate = 1.5 }, "max-error-rate", "must be between 0 and 1" },
        { new RolloutPolicy { MaxErrorRate = -0.1 }, "max-error-rate", "must be between 0 and 1" },
        { new RolloutPolicy { MaxP95 = TimeSpan.Zero }, "max-p95", "must be positive and at most 7 days" },
        { new RolloutPolicy { MinSamples = 0 }, "min-samples", "must be at least 1" },
        { new RolloutPolicy { FailureLimit = 0 }, "failure-limit", "must be at least 1" },
        { new RolloutPolicy { Gates = [30] }, "gates", "30 is not one of the stages" },
        { new RolloutPolicy { Gates = [10] }, "gates", "10 is the first stage; a gate must come after it" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void Validate_BadPolicy_NamesFieldAndRule(RolloutPolicy policy, string field, string rule)
    {
        var error = Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(policy));

        Assert.Equal(field, error.Field);
        Assert.Equal(rule, error.Rule);
        Assert.Equal($"{field}: {rule}", error.Message);
    }

    [Fact]
    public void Validate_Defaults_AreTheDocumentedOnes()
    {
        var policy = RolloutPolicyValidator.Validate(RolloutPolicy.Default);

        Assert.Equal([10, 25, 50, 75, 100], policy.Stages);
        Assert.Equal(TimeSpan.FromSeconds(300), policy.BakeTime);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.CheckInterval);
        Assert.Equal(0.10, policy.MaxErrorRate);
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.MaxP95);
        Assert.Equal(20, policy.MinSamples);
        Assert.Equal(1, policy.FailureLimit);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("Checkout", "must be lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit")]
    [InlineData("a/b", "must be lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit")]
    public void ValidateService_BadName_NamesRule(string service, string rule)
    {
        var error = Assert.Throws<AviaryValidationException>(() => Identifiers.ValidateService(service));

        Assert.Equal("service", error.Field);
        Assert.Equal(rule, error.Rule);
    }

    [Theory]
    [InlineData("200ms", 200)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2", 2_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_Parse_ReadsUnits(string text, double ms)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(ms), Durations.Parse("bake", text));
    }

    [Theory]
    [InlineData("-5s")]
    [InlineData("five")]
    [InlineData("5 parsecs")]
    public void Durations_Parse_BadText_NamesField(string text)
    {
        var error = Assert.Throws<AviaryValidationException>(() => Durations.Parse("interval", text));

        Assert.Equal("interval", error.Field);
    }
}

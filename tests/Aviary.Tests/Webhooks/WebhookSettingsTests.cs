using Aviary.Grains.Webhooks;
using Aviary.Silo.Configuration;

namespace Aviary.Tests.Webhooks;

/// <summary><c>Aviary:PublicUrl</c> and <c>Aviary:Webhooks</c>: a bad one stops the silo with one line naming it.</summary>
public sealed class WebhookSettingsTests
{
    [Fact]
    public void PublicUrl_DefaultsToLocalhostAtTheHttpPort()
    {
        Assert.Equal("http://localhost:8081", new AviaryOptions { HttpPort = 8081 }.PublicUrlOrDefault);
        Assert.Equal("https://aviary.example.com/console", new AviaryOptions { PublicUrl = "https://aviary.example.com/console/" }.PublicUrlOrDefault);
    }

    [Theory]
    [InlineData("aviary.example.com", "Aviary:PublicUrl: must be an absolute http or https URL (got 'aviary.example.com')")]
    [InlineData("ftp://aviary.example.com", "Aviary:PublicUrl: must be an absolute http or https URL (got 'ftp://aviary.example.com')")]
    public void PublicUrl_NotAnAbsoluteHttpUrl_IsRefused(string url, string expected) =>
        Assert.Equal(expected, AviaryOptionsValidator.FirstFailure(new AviaryOptions { PublicUrl = url }));

    [Fact]
    public void Webhooks_BadSettings_AreRefusedByName()
    {
        Assert.Equal("Aviary:Webhooks:RetryDelay: must be between 1 ms and 5 minutes (got 00:00:00)",
            AviaryOptionsValidator.FirstFailure(new AviaryOptions { Webhooks = new WebhookOptions { RetryDelay = TimeSpan.Zero } }));
        Assert.Equal("Aviary:Webhooks:ApprovalLifetime: must be between 1 second and 7 days (got 8.00:00:00)",
            AviaryOptionsValidator.FirstFailure(new AviaryOptions { Webhooks = new WebhookOptions { ApprovalLifetime = TimeSpan.FromDays(8) } }));
        Assert.Equal("Aviary:Webhooks:ConcurrencyPerHook: must be between 1 and 64 (got 0)",
            AviaryOptionsValidator.FirstFailure(new AviaryOptions { Webhooks = new WebhookOptions { ConcurrencyPerHook = 0 } }));
        Assert.Null(AviaryOptionsValidator.FirstFailure(new AviaryOptions { PublicUrl = "https://aviary.example.com" }));
    }
}

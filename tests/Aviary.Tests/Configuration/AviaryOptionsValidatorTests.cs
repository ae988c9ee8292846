using Aviary.Silo.Configuration;

namespace Aviary.Tests.Configuration;

public sealed class AviaryOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Null(AviaryOptionsValidator.FirstFailure(new AviaryOptions()));
        Assert.True(new AviaryOptionsValidator().Validate(null, new AviaryOptions()).Succeeded);
    }

    [Fact]
    public void SamePortTwice_IsRefused()
    {
        var failure = AviaryOptionsValidator.FirstFailure(new AviaryOptions { GatewayPort = 11111 });

        Assert.Equal("Aviary:SiloPort, GatewayPort, HttpPort: must be three different ports", failure);
    }

    [Fact]
    public void ReminderPeriodUnderOneSecond_IsRefused()
    {
        var failure = AviaryOptionsValidator.FirstFailure(new AviaryOptions { ReminderPeriod = TimeSpan.FromMilliseconds(10) });

        Assert.Equal("Aviary:ReminderPeriod: must be at least 1 second", failure);
    }
}

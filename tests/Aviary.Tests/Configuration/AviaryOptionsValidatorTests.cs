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

    [Theory]
    [InlineData("", "Aviary:ConnectionString: must be set for the cluster profile (a PostgreSQL connection string, e.g. Host=db;Username=aviary;Password=...;Database=aviary)")]
    [InlineData("Username=aviary;Database=aviary", "Aviary:ConnectionString: names no Host")]
    [InlineData("Host=db;Username=aviary", "Aviary:ConnectionString: names no Database")]
    public void ClusterProfile_BadConnectionString_IsRefused(string connectionString, string expected)
    {
        var failure = AviaryOptionsValidator.FirstFailure(new AviaryOptions { Profile = "cluster", ConnectionString = connectionString });

        Assert.Equal(expected, failure);
    }

    [Fact]
    public void ClusterProfile_UnknownConnectionStringKeyword_IsRefusedWithNpgsqlsReason()
    {
        var failure = AviaryOptionsValidator.FirstFailure(new AviaryOptions { Profile = "cluster", ConnectionString = "Host=db;Bogus Key=1" });

        Assert.StartsWith("Aviary:ConnectionString: not a valid PostgreSQL connection string (", failure);
        Assert.Contains("bogus key", failure);
    }

    [Fact]
    public void ClusterProfile_WithConnectionString_IsValid()
    {
        Assert.Null(AviaryOptionsValidator.FirstFailure(new AviaryOptions { Profile = "cluster", ConnectionString = "Host=db;Username=aviary;Password=p;Database=aviary" }));
    }

    [Theory]
    [InlineData(nameof(AviaryOptions.Schema), "migrate", "Aviary:Schema: must be 'apply' or 'verify' (got 'migrate')")]
    [InlineData(nameof(AviaryOptions.AdvertisedAddress), "pod-1", "Aviary:AdvertisedAddress: must be an IP address (got 'pod-1')")]
    public void BadClusterSetting_IsRefused(string setting, string value, string expected)
    {
        var options = new AviaryOptions();
        typeof(AviaryOptions).GetProperty(setting)!.SetValue(options, value);

        Assert.Equal(expected, AviaryOptionsValidator.FirstFailure(options));
    }

    [Fact]
    public void FailureDetectionSettings_AreChecked()
    {
        Assert.Equal("Aviary:ProbeTimeout: must be at least 100 ms", AviaryOptionsValidator.FirstFailure(new AviaryOptions { ProbeTimeout = TimeSpan.FromMilliseconds(5) }));
        Assert.Equal("Aviary:MissedProbesLimit: must be at least 1 (got 0)", AviaryOptionsValidator.FirstFailure(new AviaryOptions { MissedProbesLimit = 0 }));
    }
}

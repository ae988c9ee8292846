using Aviary.Grains;
using Aviary.Grains.Agents;
using Aviary.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aviary.Tests.Configuration;

/// <summary>The grains' settings are bound from configuration and a bad one is refused at start, naming it.</summary>
public sealed class GrainSettingsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Null(AgentPoolOptionsValidator.FirstFailure(new AgentPoolOptions()));
        Assert.Null(GrainTimingOptionsValidator.FirstFailure(new GrainTimingOptions()));
        Assert.True(new AgentPoolOptionsValidator().Validate(null, new AgentPoolOptions()).Succeeded);
        Assert.True(new GrainTimingOptionsValidator().Validate(null, new GrainTimingOptions()).Succeeded);
        Assert.Null(GrainSettings.FirstFailure(Settings()));
    }

    [Fact]
    public void MinWorkersAboveMaxWorkers_IsRefusedNamingBothSettings()
    {
        var result = new AgentPoolOptionsValidator().Validate(null, new AgentPoolOptions { MinWorkers = 12 });

        Assert.True(result.Failed);
        Assert.Equal("Aviary:AgentPool:MinWorkers (12) must not exceed Aviary:AgentPool:MaxWorkers (10)", result.FailureMessage);
    }

    [Theory]
    [InlineData("Aviary:AgentPool:MinWorkers", "0", "Aviary:AgentPool:MinWorkers: must be at least 1 (got 0)")]
    [InlineData("Aviary:AgentPool:MaxWorkers", "1000", "Aviary:AgentPool:MaxWorkers: must be between 1 and 256 (got 1000)")]
    [InlineData("Aviary:AgentPool:MaxWorkers", "many", "Aviary:AgentPool:MaxWorkers: must be a whole number (got 'many')")]
    [InlineData("Aviary:AgentPool:CacheCapacity", "-1", "Aviary:AgentPool:CacheCapacity: must not be negative (got -1)")]
    [InlineData("Aviary:AgentPool:Breaker:ConsecutiveFailures", "0", "Aviary:AgentPool:Breaker:ConsecutiveFailures: must be at least 1 (got 0)")]
    [InlineData("Aviary:AgentPool:Breaker:FailureRateThreshold", "1.5", "Aviary:AgentPool:Breaker:FailureRateThreshold: must be above 0 and at most 1 (got 1.5)")]
    [InlineData("Aviary:AgentPool:Breaker:WindowSize", "0", "Aviary:AgentPool:Breaker:WindowSize: must be at least 1 (got 0)")]
    [InlineData("Aviary:AgentPool:Breaker:MinimumThroughput", "30", "Aviary:AgentPool:Breaker:MinimumThroughput (30) must not exceed Aviary:AgentPool:Breaker:WindowSize (20): the rate would never be judged")]
    [InlineData("Aviary:AgentPool:Breaker:RecoveryTimeout", "00:00:00", "Aviary:AgentPool:Breaker:RecoveryTimeout: must be at least 1 second (got 00:00:00)")]
    [InlineData("Aviary:AttemptAuditPeriod", "00:00:00.5", "Aviary:AttemptAuditPeriod: must be at least 1 second (got 00:00:00.5000000)")]
    [InlineData("Aviary:ReminderPeriod", "00:00:00.01", "Aviary:ReminderPeriod: must be at least 1 second")]
    [InlineData("Aviary:MaxTimerDelay", "00:00:00", "Aviary:MaxTimerDelay: must be positive when set (got 00:00:00)")]
    public void BadSetting_IsRefusedNamingIt(string key, string value, string expected)
    {
        Assert.Equal(expected, GrainSettings.FirstFailure(Settings((key, value))));
    }

    [Fact]
    public void Settings_AreBoundFromTheirSections()
    {
        using var host = SiloHost(("Aviary:AgentPool:MinWorkers", "3"), ("Aviary:AgentPool:Breaker:RecoveryTimeout", "00:01:00"), ("Aviary:AttemptAuditPeriod", "00:00:05"));

        var pool = host.Services.GetRequiredService<IOptions<AgentPoolOptions>>().Value;
        var timing = host.Services.GetRequiredService<IOptions<GrainTimingOptions>>().Value;

        Assert.Equal((3, 10, TimeSpan.FromMinutes(1)), (pool.MinWorkers, pool.MaxWorkers, pool.Breaker.RecoveryTimeout));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), (timing.AttemptAuditPeriod, timing.ReminderPeriod));
    }

    [Fact]
    public async Task HostOfTheGrains_WithMinWorkersAboveMaxWorkers_RefusesToStart()
    {
        using var host = SiloHost(("Aviary:AgentPool:MinWorkers", "12"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("Aviary:AgentPool:MinWorkers (12) must not exceed Aviary:AgentPool:MaxWorkers (10)", error.Message);
    }

    /// <summary>A silo host as any host of the grains composes it (not started: the settings are checked when it starts).</summary>
    private static IHost SiloHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: 21_111, gatewayPort: 21_112);
            silo.AddMemoryGrainStorage(Names.Storage);
            silo.AddAviaryGrains();
        });
        return builder.Build();
    }
}

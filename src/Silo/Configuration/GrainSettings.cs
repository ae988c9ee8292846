using Aviary.Grains;
using Aviary.Grains.Agents;
using Aviary.Silo.Hosting;

namespace Aviary.Silo.Configuration;

/// <summary>
/// The grains' own settings (<c>Aviary:AgentPool</c>, <c>Aviary:AttemptAuditPeriod</c>, ...), checked
/// before anything starts as the silo's own are, so that a bad one stops the silo with one line
/// naming it. The host checks them again when it starts (<see cref="AviarySiloBuilderExtensions.AddAviaryGrains"/>
/// validates them on start), which is what stops any other host of the grains.
/// </summary>
public static class GrainSettings
{
    /// <summary>Binds and checks the grains' settings; on a bad one, <paramref name="error"/> names it in one line.</summary>
    public static bool TryCheckGrainSettings(this WebApplicationBuilder builder, out string? error)
    {
        error = FirstFailure(builder.Configuration);
        return error is null;
    }

    public static string? FirstFailure(IConfiguration configuration)
    {
        var pool = new AgentPoolOptions();
        var timing = new GrainTimingOptions();
        try
        {
            configuration.GetSection(AgentPoolOptions.Section).Bind(pool);
            configuration.GetSection(GrainTimingOptions.Section).Bind(timing);
        }
        catch (InvalidOperationException ex)
        {
            return AviaryHostBuilderExtensions.ConversionError(ex.Message);
        }
        return AgentPoolOptionsValidator.FirstFailure(pool) ?? GrainTimingOptionsValidator.FirstFailure(timing);
    }
}

using Microsoft.Extensions.Options;

namespace Aviary.ModelServer;

/// <summary>
/// <c>aviary-model-server</c>: serves one model's versions (<c>Aviary:ModelServer</c> settings;
/// the address from <c>--urls</c> or <c>ASPNETCORE_URLS</c>). A bad setting stops it with one line naming it.
/// </summary>
public static class ModelServerProgram
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = Build(args);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            Console.Error.WriteLine($"aviary-model-server: {ex.Message}");
            return 1;
        }
        await app.WaitForShutdownAsync();
        return 0;
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // A start that fails is told in one line by Main, not with the host's stack trace as well.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddAviaryModelServer();
        var app = builder.Build();
        app.MapAviaryModelServer();
        return app;
    }
}

using Aviary.Silo.Configuration;
using Aviary.Silo.Hosting;
using Aviary.Silo.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
if (!builder.TryGetAviaryOptions(out var options, out var error))
{
    Console.Error.WriteLine($"aviary-silo: {error}");
    return 1;
}

var connectionString = SqliteStorage.ConnectionString(options.DataDirectory);
try
{
    await SqliteSchema.ApplyAsync(connectionString);
}
catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"aviary-silo: Aviary:DataDirectory: cannot prepare '{Path.GetFullPath(options.DataDirectory)}': {ex.Message}");
    return 1;
}

builder.AddAviaryLogging(options).AddAviarySilo(options, connectionString).AddAviaryHttp(options);
var app = builder.Build();
app.MapAviaryEndpoints();
await app.RunAsync();
return 0;

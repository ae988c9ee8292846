using Aviary.Silo.Configuration;
using Aviary.Silo.Hosting;
using Aviary.Silo.Storage;

// `aviary-silo apply-schema [settings]` migrates the configured database and exits;
// anything else runs the silo.
var applySchemaOnly = args.Length > 0 && args[0] == "apply-schema";
if (applySchemaOnly)
    args = args[1..];

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
if (!builder.TryGetAviaryOptions(out var options, out var error) || !builder.TryGetGatewayOptions(options, out var gateway, out error)
    || !builder.TryCheckGrainSettings(out error))
{
    Console.Error.WriteLine($"aviary-silo: {error}");
    return 1;
}

var storage = await StoragePreparation.PrepareAsync(options, applySchema: applySchemaOnly || options.Schema == SchemaModes.Apply);
if (storage.Error is not null)
{
    Console.Error.WriteLine($"aviary-silo: {storage.Error}");
    return 1;
}
if (applySchemaOnly)
{
    Console.WriteLine($"aviary-silo: schema is at version {storage.SchemaVersion}");
    return 0;
}

builder.AddAviaryLogging(options).AddAviarySilo(options, storage.ConnectionString).AddEmbeddedGateway(gateway).AddAviaryHttp(options, storage.ConnectionString);
var app = builder.Build();
if (options.IsCluster && !options.Tls.IsConfigured)
    app.Logger.LogWarning("Orleans' ports ({SiloPort}, {GatewayPort}) take connections without TLS or client certificates: anything that reaches them can call any grain. Set Aviary:Tls (docs/kubernetes.md) or keep them unreachable with a NetworkPolicy", options.SiloPort, options.GatewayPort);
app.MapAviaryEndpoints();
await app.RunAsync();
return 0;

using Aviary.Agents;
using Aviary.Deployments;
using Aviary.Gateway;
using Aviary.Grains;
using Aviary.Silo.Api;
using Aviary.Silo.Audit;
using Aviary.Silo.Configuration;
using Aviary.Silo.Feeds;
using Aviary.Silo.Gateway;
using Aviary.Silo.Health;
using Aviary.Silo.Security;
using Aviary.Silo.Storage;
using Aviary.Silo.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Aviary.Silo.Hosting;

public static class AviaryHostBuilderExtensions
{
    /// <summary>How long a leaving silo may take to hand its grains over (the Kubernetes manifests give 60 s before SIGKILL).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(45);

    /// <summary>Binds and checks the settings; on a bad one, <paramref name="error"/> names it in one line.</summary>
    public static bool TryGetAviaryOptions(this WebApplicationBuilder builder, out AviaryOptions options, out string? error)
    {
        options = new AviaryOptions();
        try
        {
            builder.Configuration.GetSection(AviaryOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            error = ConversionError(ex.Message);
            return false;
        }
        error = AviaryOptionsValidator.FirstFailure(options);
        builder.Services.AddSingleton<IValidateOptions<AviaryOptions>, AviaryOptionsValidator>();
        builder.Services.AddOptions<AviaryOptions>().BindConfiguration(AviaryOptions.Section).ValidateOnStart();
        return error is null;
    }

    /// <summary>
    /// The embedded gateway's settings (section <c>Aviary:Gateway</c>); on by default in the
    /// embedded profile, off in the cluster profile (gateways run as their own pods there) unless
    /// <c>Aviary:Gateway:Enabled</c> says otherwise.
    /// </summary>
    public static bool TryGetGatewayOptions(this WebApplicationBuilder builder, AviaryOptions aviary, out AviaryGatewayOptions options, out string? error)
    {
        options = new AviaryGatewayOptions { Enabled = !aviary.IsCluster, MetricsRequireKey = aviary.Auth.Enabled };
        try
        {
            builder.Configuration.GetSection(AviaryGatewayOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            error = ConversionError(ex.Message);
            return false;
        }
        error = !options.Enabled ? null
            : AviaryGatewayOptionsValidator.FirstFailure(options)
            ?? (new[] { aviary.SiloPort, aviary.GatewayPort, aviary.HttpPort }.Contains(options.Port)
                ? $"{AviaryGatewayOptions.Section}:Port: must differ from the silo, gateway and HTTP ports (got {options.Port})"
                : null);
        return error is null;
    }

    /// <summary>Serves the gateway from this process once the silo has started (registered after <see cref="AddAviarySilo"/>).</summary>
    public static WebApplicationBuilder AddEmbeddedGateway(this WebApplicationBuilder builder, AviaryGatewayOptions options)
    {
        if (!options.Enabled)
            return builder;
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<EmbeddedGateway>();
        return builder;
    }

    /// <summary>"Failed to convert configuration value 'x' at 'Aviary:SiloPort' to type 'System.Int32'." in the usual one-line form.</summary>
    internal static string ConversionError(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'");
        if (!match.Success)
            return $"{AviaryOptions.Section}: {message}";
        var expected = match.Groups["type"].Value switch
        {
            "System.Int32" => "a whole number",
            "System.TimeSpan" => "a duration such as 00:01:00",
            "System.Boolean" => "true or false",
            var other => $"a {other}",
        };
        return $"{match.Groups["key"].Value}: must be {expected} (got '{match.Groups["value"].Value}')";
    }

    public static WebApplicationBuilder AddAviaryLogging(this WebApplicationBuilder builder, AviaryOptions options)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                // YARP logs every proxied request at Information: two lines a request on the gateway's hot path.
                .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext();
            if (options.LogFormat == "json")
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        });
        return builder;
    }

    /// <summary>
    /// The Orleans silo. Embedded: localhost clustering, SQLite state and reminders. Cluster: PostgreSQL
    /// membership, state and reminders, endpoints advertised at <see cref="AviaryOptions.AdvertisedAddress"/>
    /// (or POD_IP), Kubernetes hosting when the pod's identity is in the environment. Both: memory streams, dashboard.
    /// </summary>
    public static WebApplicationBuilder AddAviarySilo(this WebApplicationBuilder builder, AviaryOptions options, string connectionString)
    {
        builder.UseOrleans(silo =>
        {
            if (options.IsCluster)
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = options.ServiceId;
                    o.ClusterId = options.ClusterId;
                });
                var advertised = AdvertisedAddress(options);
                if (advertised is not null)
                    silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                else
                    silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                silo.AddPostgresStorage(connectionString);
                if (KubernetesPod.IsPresent)
                    silo.UseKubernetesHosting();
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddSqliteStorage(connectionString, SqliteDurabilities.Parse(options.Durability)!.Value);
            }
            if (options.Tls.IsConfigured)
                silo.UseAviaryTls(options.Tls);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = options.ProbeTimeout;
                o.NumMissedProbesLimit = options.MissedProbesLimit;
            });
            silo.Configure<ReminderOptions>(o =>
            {
                if (options.ReminderPeriod < o.MinimumReminderPeriod)
                    o.MinimumReminderPeriod = options.ReminderPeriod;
            });
            silo.AddAviaryGrains(agentFiles: new AgentFiles(Directory.GetCurrentDirectory(), Path.Combine(options.DataDirectory, "outputs")));
            silo.AddDashboard();
        });
        builder.Services.AddSingleton(sp => new RolloutOperations(sp.GetRequiredService<IGrainFactory>()));
        builder.Services.AddSingleton(sp => new Aviary.Workflows.WorkflowOperations(sp.GetRequiredService<IGrainFactory>()));
        builder.Services.AddHealthChecks()
            .AddCheck<SiloMembershipHealthCheck>("membership", tags: [HealthEndpoints.ReadyTag])
            .AddCheck("storage", options.IsCluster ? new PostgresHealthCheck(connectionString) : new SqliteHealthCheck(connectionString), tags: [HealthEndpoints.ReadyTag]);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }

    /// <summary>The configured address, else the pod's (POD_IP), else none: Orleans picks the host's first address.</summary>
    private static System.Net.IPAddress? AdvertisedAddress(AviaryOptions options)
    {
        var configured = !string.IsNullOrWhiteSpace(options.AdvertisedAddress) ? options.AdvertisedAddress : Environment.GetEnvironmentVariable(KubernetesPod.IpVariable);
        return System.Net.IPAddress.TryParse(configured, out var address) ? address : null;
    }

    public static WebApplicationBuilder AddAviaryHttp(this WebApplicationBuilder builder, AviaryOptions options, string connectionString)
    {
        builder.Services.AddSingleton(options.Audit);
        builder.Services.AddSingleton(new AuditStore(connectionString, postgres: options.IsCluster));
        builder.Services.AddHostedService<AuditRetention>();
        builder.Services.AddSingleton<Aviary.Grains.Models.IModelAudit, ModelAuditTrail>();
        builder.WebHost.UseUrls(options.HttpUrl);
        builder.AddAviaryAuth(options.Auth);
        // After the silo's own start: it needs the grains.
        builder.Services.AddHostedService(sp => new FirstAdminKey(options.Auth, options.AdminKeyFile,
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<FirstAdminKey>>()));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<AviaryExceptionHandler>();
        builder.Services.AddAviaryOpenApi();
        builder.Services.AddAviaryRateLimits(options.Api);
        builder.Services.AddSingleton(new SampleReporterLimits(options.Api));
        // Secrets at rest: the key ring in the profile's database, so every silo decrypts what any stored.
        builder.Services.AddDataProtection().SetApplicationName("aviary")
            .AddKeyManagementOptions(o => o.XmlRepository = new DatabaseXmlRepository(connectionString, postgres: options.IsCluster));
        builder.Services.AddSingleton<SecretVault>();
        builder.AddAviaryWebhooks(options);
        builder.Services.AddSingleton(new AgentInputPolicy(Directory.GetCurrentDirectory(), [Path.Combine(options.DataDirectory, "datasets"), .. options.InputRoots]));
        builder.Services.AddSingleton(options.Feeds);
        builder.Services.AddSingleton<Feeds.EventHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Feeds.EventHub>());
        // Enums by name both ways ("analysis": "compare", "status": "progressing"), as the console's JSON output.
        // A body that does not bind is an exception for AviaryExceptionHandler to name, not a bare 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // A misspelt field is refused by name, not silently dropped.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        return builder;
    }

    public static WebApplication MapAviaryEndpoints(this WebApplication app)
    {
        // Outermost: it records the final answer to every change, whatever refused it.
        app.UseMiddleware<AuditMiddleware>();
        app.UseExceptionHandler();
        app.UseApiStatusProblems();
        app.UseWebConsole();
        app.UseAuthentication();
        app.UseCsrfGuard();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseBodyLimits();
        app.UseWebSockets();
        app.MapDeploymentsApi();
        app.MapServicesApi();
        app.MapGuardrailsApi();
        app.MapKeysApi();
        app.MapWorkflowsApi();
        app.MapAuditApi();
        app.MapEventsApi();
        app.MapSecretsApi();
        app.MapWebhooksApi();
        app.MapApprovalsApi();
        app.MapModelsApi();
        app.MapDataApi(app.Services.GetRequiredService<AgentInputPolicy>().Datasets);
        app.MapAviaryOpenApi();
        app.MapHealthEndpoints();
        app.MapAviaryMetrics();
        app.MapSessionApi(app.Services.GetRequiredService<AuthOptions>());
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireRole(Aviary.Security.AviaryRole.Viewer).ExcludeFromDescription();
        return app;
    }
}

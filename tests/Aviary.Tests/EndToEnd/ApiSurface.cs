using Aviary.Security;
using Aviary.Silo.Configuration;
using Aviary.Silo.Hosting;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Routing;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// Every endpoint the silo maps, read from the silo's own composition (built, never started): its
/// method, route and the role it declares, or none. What the authorization tests walk.
/// </summary>
public static class ApiSurface
{
    public sealed record Endpoint(string Method, string Route, AviaryRole? Role, bool Anonymous, string DisplayName)
    {
        /// <summary>The route with sample values for its parameters.</summary>
        public string Path(string service) => System.Text.RegularExpressions.Regex.Replace(Route, @"\{(\*{0,2})([^}:]+)[^}]*\}", m =>
            m.Groups[1].Length > 0 ? "" : m.Groups[2].Value switch
            {
                "service" => service,
                "version" => "v9",
                "id" => "000000000000",
                _ => "x",
            });

        public override string ToString() => $"{Method} {Route}";
    }

    private static readonly Lazy<IReadOnlyList<Endpoint>> Mapped = new(Read);

    public static IReadOnlyList<Endpoint> All => Mapped.Value;

    private static IReadOnlyList<Endpoint> Read()
    {
        var data = Directory.CreateTempSubdirectory("aviary-surface-").FullName;
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddCommandLine(["--data-dir", data], CommandLineSwitches.Map);
        if (!builder.TryGetAviaryOptions(out var options, out var error))
            throw new InvalidOperationException(error);
        var connectionString = $"Data Source={Path.Combine(data, "aviary.db")}";
        builder.AddAviarySilo(options, connectionString).AddAviaryHttp(options, connectionString);
        var app = builder.Build();
        app.MapAviaryEndpoints();
        var policies = Enum.GetValues<AviaryRole>().ToDictionary(AviaryAuth.Policy);
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e =>
            {
                var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var role = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
                    .Select(p => policies.TryGetValue(p, out var r) ? r : (AviaryRole?)null).Max();
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                return methods.Select(m => new Endpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'), role, anonymous, e.DisplayName ?? ""));
            })
            .ToList();
    }
}

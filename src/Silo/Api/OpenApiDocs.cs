using Aviary.Security;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Aviary.Silo.Api;

/// <summary>
/// The API's OpenAPI document, generated from the endpoints (<c>/openapi/v1.json</c>), and a
/// browsable reference of it (<c>/api-docs</c>, Scalar, its script served by the silo: no CDN).
/// Both need a viewer. Each operation says the role it needs and that it answers 401 and 403.
/// </summary>
public static class OpenApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-docs";

    public static IServiceCollection AddAviaryOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Aviary",
                    Version = "v1",
                    Description = "Progressive delivery and workflows on Orleans. Errors are RFC 9457 problem details with `field` and `rule`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An Aviary API key (avk_…) or an OIDC access token",
                };
                document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An Aviary API key (avk_…)",
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
                ];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security = [];
                    return Task.CompletedTask;
                }
                var role = AviaryAuth.RequiredRole(metadata);
                operation.Description = $"Role: {role.Name()} or above." + (operation.Description is { Length: > 0 } more ? " " + more : "");
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No credential, or one that is unknown, revoked or expired" });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The caller's role is below {role.Name()}" });
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapAviaryOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).RequireRole(AviaryRole.Viewer).ExcludeFromDescription();
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("Aviary API").WithOpenApiRoutePattern(DocumentPath))
            .RequireRole(AviaryRole.Viewer).ExcludeFromDescription();
        return app;
    }
}

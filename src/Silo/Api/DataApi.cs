using Aviary.Agents.Data;
using Aviary.Security;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>POST /api/data/generate</c> (operator): a sales dataset written into the silo's data
/// directory (<c>datasets/</c>), where runs started through the API may read it; the answer is
/// its path, for a plan's <c>${input}</c>. The same request gives the same file.
/// </summary>
public static class DataApi
{
    public static RouteHandlerBuilder MapDataApi(this IEndpointRouteBuilder app, string datasets) =>
        app.MapPost("/api/data/generate", async (DatasetRequest? body) =>
        {
            var request = (body ?? new DatasetRequest()).Validate(DatasetRequest.MaxServerRows);
            var path = await Task.Run(() => request.WriteTo(datasets));
            return TypedResults.Ok(new GeneratedDataset(path, request.Rows, request.Messy, request.Format, request.Seed));
        }).RequireRole(AviaryRole.Operator).WithBodyLimit(ApiLimits.SmallBody);
}

/// <summary>A dataset the silo wrote: where, and what.</summary>
public sealed record GeneratedDataset(string Path, int Rows, bool Messy, string Format, int Seed);

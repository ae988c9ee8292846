namespace Aviary.ModelServer;

/// <summary>The server's error answers (RFC 9457 problem details), each naming the field and the rule.</summary>
public static class ModelServerProblems
{
    public static IResult BadRequest(string field, string detail, string rule) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad prediction request", detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field, ["rule"] = rule });

    public static IResult UnknownVersion(string model, string version, string? reason) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown version", detail: reason ?? $"model '{model}' has no version '{version}'",
            extensions: new Dictionary<string, object?> { ["field"] = "version", ["rule"] = "must be a version of the model this server serves" });

    public static IResult Unavailable(string version, string? reason) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Version unavailable", detail: reason ?? $"version '{version}' cannot be served",
            extensions: new Dictionary<string, object?> { ["version"] = version });
}

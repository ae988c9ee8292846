using Microsoft.Extensions.FileProviders;

namespace Aviary.Silo.Hosting;

/// <summary>
/// The web console at <c>/</c>: static files (one page, ES modules, CSS, uPlot) copied beside the
/// silo's binaries by the build, served to anyone: they hold no data, and every byte the page shows
/// comes from the authenticated API. Runs before authentication, so the fallback policy (a viewer's)
/// does not ask a browser for a key before the page can offer its login.
/// </summary>
public static partial class WebConsole
{
    /// <summary>Where the files are, beside the silo's assembly (the build and <c>dotnet publish</c> put them there).</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "WebConsole");

    /// <summary>
    /// Scripts, styles and data from the silo only, no inline script, never framed; no content
    /// sniffing, no referrer.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebConsole(this IApplicationBuilder app)
    {
        if (!Directory.Exists(Root))
        {
            LogNoFiles(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebConsole)), Root);
            return app;
        }
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = ["index.html"] });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // Small files: revalidate each time (ETag), so a silo upgrade shows at once.
                headers.CacheControl = "no-cache";
            },
        });
    }
}

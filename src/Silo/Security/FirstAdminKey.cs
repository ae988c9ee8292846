using Aviary.Security;

namespace Aviary.Silo.Security;

/// <summary>
/// At start, makes sure an admin can get in: the configured admin key is registered if unknown;
/// with none configured, the first silo to find no usable key creates one and writes it to a file
/// only the silo's user can read (the console on the same machine reads it from there).
/// </summary>
public sealed partial class FirstAdminKey(AuthOptions options, string keyFile, IGrainFactory grains, ILogger<FirstAdminKey> logger) : IHostedService
{
    public const string ConfiguredName = "configured admin key";
    public const string FirstName = "first admin key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
            return;
        var keys = grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key);
        if (options.AdminKey.Length > 0)
        {
            // Checked at start (AviaryOptionsValidator).
            ApiKeyToken.TryParse(options.AdminKey, out var configured);
            if (await keys.FindAsync(configured.Id) is null)
                await keys.CreateAsync(configured.Id, configured.Hash, ConfiguredName, AviaryRole.Admin, null, "configuration");
            return;
        }
        var first = ApiKeyToken.New();
        if (await keys.CreateFirstAsync(first.Id, first.Hash, FirstName) is null)
            return;
        await WriteAsync(keyFile, first.Value, cancellationToken);
        LogWritten(logger, Path.GetFullPath(keyFile));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes the key to <paramref name="path"/>, created readable and writable by this user only.</summary>
    public static async Task WriteAsync(string path, string key, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(path, file))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteLineAsync(key.AsMemory(), cancellationToken);
        // An existing file keeps its mode when overwritten: set it.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "No API key could be used: a new admin key is in {Path} (readable by this user only). Give it to the console with --token-file, or create keys for others with it and revoke it")]
    private static partial void LogWritten(ILogger logger, string path);
}

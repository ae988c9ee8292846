using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Aviary.Agents.Models;

namespace Aviary.ModelServer;

/// <summary>
/// Versions from the Aviary API: <c>GET {ApiUrl}/api/models/{model}/versions/{version}/card</c>
/// (404: an unknown version) and <c>.../artifact</c> (the model file), the file's SHA-256 checked
/// against the card before it is kept under <see cref="ModelServerOptions.CacheDirectory"/>
/// (<c>{model}/{version}/</c>). A file already cached with the right hash is not fetched again.
/// </summary>
public sealed class ApiModelSource(HttpClient http, ModelServerOptions options) : IModelSource
{
    public const string HttpClientName = "aviary-api";

    /// <summary>Largest card accepted: cards are small JSON.</summary>
    private const int MaxCardBytes = 16 * 1024 * 1024;

    /// <summary>An ensemble registered in the registry (<c>GET …/versions/{version}</c> names its members); null for a trained version or an unknown one.</summary>
    public async Task<EnsembleOptions?> EnsembleAsync(string version, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/models/{Uri.EscapeDataString(options.Model)}/versions/{Uri.EscapeDataString(version)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccessStatusCode)
            throw new InvalidDataException($"the Aviary API answered {(int)response.StatusCode} for version '{version}'");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        if (!body.RootElement.TryGetProperty("members", out var members) || members.GetArrayLength() == 0)
            return null;
        return new EnsembleOptions
        {
            Members = [.. members.EnumerateArray().Select(m => m.GetString() ?? "")],
            Combine = body.RootElement.TryGetProperty("combine", out var combine) ? combine.GetString() ?? "mean" : "mean",
        };
    }

    public async Task<string?> ResolveAsync(string version, CancellationToken cancellationToken)
    {
        var path = $"api/models/{Uri.EscapeDataString(options.Model)}/versions/{Uri.EscapeDataString(version)}";
        using var cardResponse = await http.GetAsync($"{path}/card", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (cardResponse.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (!cardResponse.IsSuccessStatusCode)
            throw new InvalidDataException($"the Aviary API answered {(int)cardResponse.StatusCode} for the card of version '{version}'");
        if (cardResponse.Content.Headers.ContentLength > MaxCardBytes)
            throw new InvalidDataException($"the card of version '{version}' is larger than {MaxCardBytes} bytes");
        var cardBytes = await cardResponse.Content.ReadAsByteArrayAsync(cancellationToken);
        ModelCard card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(cardBytes, ModelCard.JsonOptions) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the card of version '{version}' from the Aviary API is not a model card: {ex.Message}", ex);
        }
        var fileName = card.ModelFile;
        if (string.IsNullOrEmpty(fileName) || fileName != Path.GetFileName(fileName) || fileName.StartsWith('.'))
            throw new InvalidDataException($"the card of version '{version}' names model file '{fileName}', which is not a plain file name");

        var folder = Path.Combine(Path.GetFullPath(options.CacheDirectory), options.Model, version);
        Directory.CreateDirectory(folder);
        var modelPath = Path.Combine(folder, fileName);
        if (!File.Exists(modelPath) || !string.Equals(await Sha256Async(modelPath, cancellationToken), card.ModelSha256, StringComparison.OrdinalIgnoreCase))
            await DownloadAsync($"{path}/artifact", version, card.ModelSha256, modelPath, cancellationToken);
        var cardPath = Path.Combine(folder, "card.json");
        await File.WriteAllBytesAsync(cardPath, cardBytes, cancellationToken);
        return cardPath;
    }

    private async Task DownloadAsync(string url, string version, string expectedSha, string modelPath, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidDataException($"the Aviary API answered {(int)response.StatusCode} for the model file of version '{version}'");
        // Into a file of its own, checked, then moved into place: a half-written or wrong file is never served.
        var temporary = $"{modelPath}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var target = File.Create(temporary))
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
                await source.CopyToAsync(target, cancellationToken);
            var sha = await Sha256Async(temporary, cancellationToken);
            if (!string.Equals(sha, expectedSha, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"the model file of version '{version}' from the Aviary API has SHA-256 {sha}, not the card's {expectedSha}");
            File.Move(temporary, modelPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}

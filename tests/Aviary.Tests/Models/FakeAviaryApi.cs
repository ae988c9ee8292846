using System.Collections.Concurrent;
using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aviary.Tests.Models;

/// <summary>
/// The Aviary API as a model server sees it, on a real Kestrel endpoint on 127.0.0.1: serves cards
/// and model files of the versions given to it, and records the observation batches it receives
/// (with the API key they came with).
/// </summary>
public sealed class FakeAviaryApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Model, string? Key, ModelObservationBatch Batch)> _batches = new();
    private readonly List<(Func<bool> Done, TaskCompletionSource Seen)> _waiters = [];

    private FakeAviaryApi(WebApplication app) => _app = app;

    private int _failures;

    public string Url { get; private set; } = "";

    /// <summary>Answers the next <paramref name="count"/> observation posts 503 (counted, not recorded).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    /// <summary>Observation posts answered 503 so far.</summary>
    public int Refused { get; private set; }

    /// <summary>version → (card bytes, model file bytes) the API serves for any model name.</summary>
    public ConcurrentDictionary<string, (byte[] Card, byte[] Artifact)> Versions { get; } = new();

    public static async Task<FakeAviaryApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeAviaryApi(app);
        app.MapGet("/api/models/{model}/versions/{version}/card", (string version) =>
            api.Versions.TryGetValue(version, out var v) ? Results.Bytes(v.Card, "application/json") : Results.NotFound());
        app.MapGet("/api/models/{model}/versions/{version}/artifact", (string version) =>
            api.Versions.TryGetValue(version, out var v) ? Results.Bytes(v.Artifact, "application/zip") : Results.NotFound());
        app.MapPost("/api/models/{model}/observations", async (string model, HttpContext http) =>
        {
            if (Interlocked.Decrement(ref api._failures) >= 0)
            {
                api.Refused++;
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            var batch = await JsonSerializer.DeserializeAsync<ModelObservationBatch>(http.Request.Body, ModelCard.JsonOptions);
            api._batches.Enqueue((model, http.Request.Headers["X-Api-Key"].ToString(), batch!));
            api.Signal();
            return Results.Accepted();
        });
        await app.StartAsync();
        api.Url = app.Urls.First();
        return api;
    }

    /// <summary>Serves a trained version's card and model file as the API would.</summary>
    public void Serve(string version, string cardPath, byte[]? artifact = null)
    {
        var card = ModelCard.Read(cardPath);
        Versions[version] = (File.ReadAllBytes(cardPath), artifact ?? File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(cardPath)!, card.ModelFile)));
    }

    public (string Model, string? Key, ModelObservationBatch Batch)[] Batches(string model) => [.. _batches.Where(b => b.Model == model)];

    public int Predictions(string model, string version) => Batches(model).Where(b => b.Batch.Version == version).Sum(b => b.Batch.Predictions.Length);

    /// <summary>Completes once the receiver holds <paramref name="count"/> predictions of the version (an event, not a poll).</summary>
    public Task WaitForPredictionsAsync(string model, string version, int count)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
            _waiters.Add((() => Predictions(model, version) >= count, seen));
        Signal();
        return seen.Task;
    }

    private void Signal()
    {
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Done()).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.ModelServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aviary.Bench;

/// <summary>
/// The model server in this process on loopback, with a receiver of its observations: scoring in
/// process (ModelPackage.Predict, one caller), then hey against /v/v1/predict and, as the
/// baseline, against the server's /healthz/live (the same HTTP stack without a model).
/// </summary>
public static class ServerBench
{
    public static async Task<List<(string What, double Rps, double P50, double P99)>> RunAsync(TimeSpan duration)
    {
        var folder = Directory.CreateTempSubdirectory("aviary-bench-server-").FullName;
        try
        {
            var data = ShiftingData.Generate(10_000, seed: 1, shift: 0);
            var card = Path.Combine(folder, "card.json");
            Trainer.Train(data, new TrainingOptions { Target = "price", Features = ["sqft", "age", "rooms", "distance", "region"] },
                Path.Combine(folder, "model.zip"), Path.Combine(folder, "holdout.json")).Write(card);
            var row = data.Rows[0];
            var features = new Dictionary<string, object?> { ["sqft"] = double.Parse(row[0]!, CultureInfo.InvariantCulture), ["age"] = int.Parse(row[1]!, CultureInfo.InvariantCulture), ["rooms"] = int.Parse(row[2]!, CultureInfo.InvariantCulture), ["distance"] = double.Parse(row[3]!, CultureInfo.InvariantCulture), ["region"] = row[4] };
            var json = JsonSerializer.Serialize(new { features });

            var results = new List<(string, double, double, double)> { InProcess(card, json) };
            await using var sink = await StartSinkAsync();
            var server = ModelServerProgram.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
                "--Aviary:ModelServer:Model", "bench", "--Aviary:ModelServer:Models:v1", card,
                "--Aviary:ModelServer:ApiUrl", sink.Urls.First(), "--Aviary:ModelServer:ApiKey", "bench",
                "--Aviary:ModelServer:CacheDirectory", Path.Combine(folder, "cache")]);
            await server.StartAsync();
            try
            {
                var url = server.Urls.First();
                using (var http = new HttpClient())
                    (await http.PostAsync($"{url}/v/v1/predict", new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                foreach (var connections in new[] { 1, 16 })
                {
                    var live = await LoadTool.HeyClosedAsync(new Uri($"{url}/healthz/live"), connections, duration);
                    results.Add(($"HTTP GET /healthz/live (baseline), {connections} connection(s)", live.RequestsPerSecond, live.P50Ms, live.P99Ms));
                    var predict = await LoadTool.HeyClosedAsync(new Uri($"{url}/v/v1/predict"), connections, duration, json);
                    if (predict.Non2xx > 0)
                        throw new InvalidOperationException($"{predict.Non2xx} predictions failed");
                    results.Add(($"HTTP POST /v/v1/predict, {connections} connection(s)", predict.RequestsPerSecond, predict.P50Ms, predict.P99Ms));
                }
            }
            finally
            {
                await server.StopAsync();
                await server.DisposeAsync();
            }
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string, double, double, double) InProcess(string card, string json)
    {
        var package = ModelPackage.Load(card);
        using var document = JsonDocument.Parse(json);
        var features = document.RootElement.GetProperty("features").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        for (var i = 0; i < 2_000; i++)
            package.Predict(features);
        var times = new List<double>(20_000);
        var all = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++)
        {
            var start = Stopwatch.GetTimestamp();
            package.Predict(features);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        var rate = times.Count / all.Elapsed.TotalSeconds;
        return ("ModelPackage.Predict in process, 1 caller", rate, Measure.Percentile(times, 0.5), Measure.Percentile(times, 0.99));
    }

    private static async Task<WebApplication> StartSinkAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/api/models/{model}/observations", async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            return Results.Accepted();
        });
        await app.StartAsync();
        return app;
    }
}

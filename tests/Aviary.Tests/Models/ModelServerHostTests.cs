using System.Net;
using System.Net.Http.Json;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.ModelServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aviary.Tests.Models;

/// <summary>Servers of their own for what the shared one cannot show: readiness, the buffer's bound, the timer, bad settings.</summary>
public sealed class ModelServerHostTests(ModelServerFixture fixture) : IClassFixture<ModelServerFixture>
{
    [Fact]
    public async Task Ready_OnceTheConfiguredVersionsLoaded()
    {
        await using var server = await StartAsync("ready", ("Models:v1", fixture.Models.PriceV1));
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };

        await server.Services.GetRequiredService<ModelVersions>().GetAsync("v1", CancellationToken.None);
        using var response = await http.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BufferFull_ExtraPredictionsAreDroppedAndCounted()
    {
        await using var server = await StartAsync("bounded", ("Models:v1", fixture.Models.PriceV1), ("MaxPendingPredictions", "2"), ("FlushInterval", "00:10:00"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
        var features = Features(fixture.Models.PriceV1);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/v/v1/predict", features)).StatusCode);
        await server.Services.GetRequiredService<ObservationSender>().FlushAsync(CancellationToken.None);

        var batch = Assert.Single(fixture.Api.Batches("bounded")).Batch;
        Assert.Equal((5L, 2), (batch.Requests, batch.Predictions.Length));
        Assert.Contains("""aviary_model_observations_dropped_total{version="v1",reason="buffer"} 3""", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Timer_SendsTheBatchesOnItsOwn()
    {
        await using var server = await StartAsync("timed", ("Models:v1", fixture.Models.PriceV1), ("FlushInterval", "00:00:00.050"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
        var features = Features(fixture.Models.PriceV1);

        for (var i = 0; i < 3; i++)
            await http.PostAsJsonAsync("/v/v1/predict", new { features });

        var received = fixture.Api.WaitForPredictionsAsync("timed", "v1", 3);
        await received.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, $"the timer sent {fixture.Api.Predictions("timed", "v1")} of 3 predictions within 30 s"));
        Assert.Equal(3, fixture.Api.Predictions("timed", "v1"));
    }

    [Fact]
    public async Task ApiFailing_ABatchIsRetried_ThenDroppedAndCountedWhenItKeepsFailing()
    {
        await using var server = await StartAsync("retried", ("Models:v1", fixture.Models.PriceV1), ("FlushInterval", "00:10:00"), ("SendAttempts", "2"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
        var sender = server.Services.GetRequiredService<ObservationSender>();
        var features = Features(fixture.Models.PriceV1);

        // One 503, then the retry gets through.
        await http.PostAsJsonAsync("/v/v1/predict", features);
        fixture.Api.FailNext(1);
        await sender.FlushAsync(CancellationToken.None);
        Assert.Equal(1, fixture.Api.Predictions("retried", "v1"));

        // Two 503s: both attempts fail, the batch's two predictions are dropped and counted.
        await http.PostAsJsonAsync("/v/v1/predict", features);
        await http.PostAsJsonAsync("/v/v1/predict", features);
        fixture.Api.FailNext(2);
        await sender.FlushAsync(CancellationToken.None);
        fixture.Api.FailNext(0);

        Assert.Equal(1, fixture.Api.Predictions("retried", "v1"));
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("""aviary_model_observations_dropped_total{version="v1",reason="send"} 2""", metrics);
        Assert.Contains("""aviary_model_observation_batches_total{outcome="failed"} 1""", metrics);
        Assert.Contains("""aviary_model_observation_batches_total{outcome="sent"} 1""", metrics);
    }

    [Theory]
    [InlineData("Model", "", "Aviary:ModelServer:Model: must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit (got '')")]
    [InlineData("FlushInterval", "00:00:00.001", "Aviary:ModelServer:FlushInterval: must be between 10 ms and 10 minutes")]
    [InlineData("Ensembles:e:Members:0", "v1", "Aviary:ModelServer:Ensembles:e:Members: must list at least two versions")]
    [InlineData("Ensembles:e:Combine", "median", "Aviary:ModelServer:Ensembles:e:Members: must list at least two versions")]
    [InlineData("ApiKey", " ", "Aviary:ModelServer:ApiKey: is required with ApiUrl")]
    [InlineData("MaxPendingPredictions", "0", "Aviary:ModelServer:MaxPendingPredictions: must be at least 1 (got 0)")]
    public async Task BadSetting_StopsTheStartWithOneLineNamingIt(string key, string value, string message)
    {
        var args = fixture.Args("bad", (key, value));
        if (key == "Model")
            args = [.. args.Where((a, i) => a != "--Aviary:ModelServer:Model" && (i == 0 || args[i - 1] != "--Aviary:ModelServer:Model")), "--Aviary:ModelServer:Model", ""];
        await using var server = ModelServerProgram.Build(args);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => server.StartAsync());

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validator_EnsembleOfAnUnknownCombine_IsNamed()
    {
        var options = new ModelServerOptions { Model = "m", Ensembles = { ["e"] = new EnsembleOptions { Members = ["a", "b"], Combine = "median" } } };

        Assert.Equal("Aviary:ModelServer:Ensembles:e:Combine: must be mean or vote (got 'median')", ModelServerOptionsValidator.FirstFailure(options));
    }

    private async Task<WebApplication> StartAsync(string model, params (string, string)[] settings)
    {
        var server = ModelServerProgram.Build(fixture.Args(model, settings));
        await server.StartAsync();
        return server;
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Features(string card)
    {
        var package = ModelPackage.Load(card);
        var holdout = DatasetFile.Read(Path.Combine(Path.GetDirectoryName(card)!, package.Card.HoldoutFile)).Data;
        return ModelPackageTests.Features(holdout, holdout.Rows[1]);
    }
}

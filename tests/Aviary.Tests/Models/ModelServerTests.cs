using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.ModelServer;

namespace Aviary.Tests.Models;

/// <summary>The model server over real HTTP on loopback, against the packages it serves.</summary>
public sealed class ModelServerTests(ModelServerFixture fixture) : IClassFixture<ModelServerFixture>
{
    [Fact]
    public async Task Predict_Version_AnswersWhatThePackagePredicts()
    {
        var package = ModelPackage.Load(fixture.Models.PriceV1);
        var holdout = Holdout(package);

        for (var i = 0; i < 20; i++)
        {
            var features = ModelPackageTests.Features(holdout, holdout.Rows[i]);
            var body = i % 2 == 0 ? (object)new { features } : features; // {"features": {...}} or the flat object
            var answer = await PostAsync("v1", body);

            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(package.Predict(features).Value, answer.Json.GetProperty("prediction").GetDouble());
            Assert.Equal(("houses", "v1"), (answer.Json.GetProperty("model").GetString(), answer.Json.GetProperty("version").GetString()));
            Assert.False(answer.Json.TryGetProperty("label", out _));
        }
    }

    [Fact]
    public async Task Predict_BinaryVersion_AnswersProbabilityAndLabel()
    {
        var package = ModelPackage.Load(fixture.Models.ChurnV2);
        var holdout = Holdout(package);
        var features = ModelPackageTests.Features(holdout, holdout.Rows[3]);
        var expected = package.Predict(features);

        var answer = await PostAsync("c2", new { features });

        Assert.Equal(expected.Value, answer.Json.GetProperty("prediction").GetDouble());
        Assert.Equal(expected.Label, answer.Json.GetProperty("label").GetString());
    }

    [Fact]
    public async Task RequestId_TheCallersIsEchoed_ElseANewOne()
    {
        var given = await PostAsync("v1", Row(), ("x-request-id", "order-42"));
        var fresh = await PostAsync("v1", Row());

        Assert.Equal(("order-42", "order-42"), (given.RequestId, given.Json.GetProperty("requestId").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", fresh.RequestId);
        Assert.Equal(fresh.RequestId, fresh.Json.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task UnknownVersion_Is404ProblemDetails()
    {
        var answer = await PostAsync("v9", Row());

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal("model 'houses' has no version 'v9'", answer.Json.GetProperty("detail").GetString());
        Assert.Equal("version", answer.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task VersionThatFailsToLoad_Is503WithTheReason_AndTheServerGoesOn()
    {
        var broken = await PostAsync("broken", Row());
        var mixed = await PostAsync("mixed", Row());
        var fine = await PostAsync("v1", Row());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (broken.Status, broken.ContentType));
        Assert.Matches("^model file '.*model.zip' has SHA-256 [0-9a-f]{64}, not the card's [0-9a-f]{64}: it was changed or damaged$", broken.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, mixed.Status);
        Assert.Equal("ensemble 'mixed': 'c1' predicts churn (binary), 'v1' price (regression)", mixed.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, fine.Status);
    }

    [Theory]
    [InlineData("{not json", "body", "the body is not JSON: ")]
    [InlineData("[1, 2]", "features", "the body must be a JSON object (got array)")]
    [InlineData("""{"features": 3}""", "features", "features must be an object of feature values")]
    [InlineData("""{"sqft":1500,"age":10,"rooms":3,"distance":4}""", "features", "feature 'region' is missing")]
    [InlineData("""{"features":{"sqft":"large","age":10,"rooms":3,"distance":4,"region":"north"}}""", "features", "feature 'sqft' must be a number or null (got a string)")]
    public async Task BadRequest_Is400NamingTheField(string body, string field, string detail)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Http.PostAsync("/v/v1/predict", content);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.StartsWith(detail, json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadVersionName_Is400()
    {
        var answer = await PostAsync("..%2Fetc", Row());

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("version", answer.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Ensemble_Mean_AveragesItsMembers_AndListsThem()
    {
        var (v1, v2) = (ModelPackage.Load(fixture.Models.PriceV1), ModelPackage.Load(fixture.Models.PriceV2));
        var features = Row();

        var answer = await PostAsync("avg", new { features });

        var (a, b) = (v1.Predict(features).Value, v2.Predict(features).Value);
        Assert.Equal((a + b) / 2, answer.Json.GetProperty("prediction").GetDouble(), 9);
        Assert.Equal("avg", answer.Json.GetProperty("version").GetString());
        var members = answer.Json.GetProperty("members").EnumerateArray().ToArray();
        Assert.Equal([("v1", a), ("v2", b)], members.Select(m => (m.GetProperty("version").GetString(), m.GetProperty("prediction").GetDouble())));
    }

    [Fact]
    public async Task Ensemble_Vote_TakesTheMajorityLabel_MeanOfBinaryTheMeanProbability()
    {
        var packages = new[] { fixture.Models.ChurnV1, fixture.Models.ChurnV2, fixture.ChurnV3 }.Select(ModelPackage.Load).ToArray();
        var holdout = Holdout(packages[1]);
        var checkedVotes = 0;
        for (var i = 0; i < 30; i++)
        {
            var features = ModelPackageTests.Features(holdout, holdout.Rows[i]);
            var outputs = packages.Select(p => p.Predict(features)).ToArray();
            var positive = outputs.Count(o => o.Label == "true");

            var vote = await PostAsync("cvote", features);
            var mean = await PostAsync("cmean", features);

            Assert.Equal(positive >= 2 ? "true" : "false", vote.Json.GetProperty("label").GetString());
            Assert.Equal(positive / 3.0, vote.Json.GetProperty("prediction").GetDouble(), 12);
            var meanProbability = (outputs[0].Value + outputs[1].Value) / 2;
            Assert.Equal(meanProbability, mean.Json.GetProperty("prediction").GetDouble(), 9);
            Assert.Equal(meanProbability >= 0.5 ? "true" : "false", mean.Json.GetProperty("label").GetString());
            checkedVotes += positive is 1 or 2 ? 1 : 0;
        }
        Assert.True(checkedVotes > 0, "no row where the members disagreed");
    }

    [Fact]
    public async Task VersionFromTheApi_IsFetchedVerifiedAndServed_AMismatchedFileIs503()
    {
        var package = ModelPackage.Load(fixture.Models.PriceV1);
        var features = Row();

        var fetched = await PostAsync("api-v1", features);
        var bad = await PostAsync("api-bad", features);

        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(package.Predict(features).Value, fetched.Json.GetProperty("prediction").GetDouble());
        Assert.True(File.Exists(Path.Combine(fixture.Models.Directory, "cache-houses", "houses", "api-v1", "card.json")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bad.Status);
        Assert.Matches("^the model file of version 'api-bad' from the Aviary API has SHA-256 [0-9a-f]{64}, not the card's [0-9a-f]{64}$", bad.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Observations_EveryPredictionReachesTheApi_WithCountsInTheReferenceBins()
    {
        var holdout = Holdout(ModelPackage.Load(fixture.Models.PriceV2));
        await fixture.Sender.FlushAsync(CancellationToken.None); // what earlier tests left
        var before = (V2: fixture.Api.Predictions(ModelServerFixture.Model, "v2"), C1: fixture.Api.Predictions(ModelServerFixture.Model, "c1"));
        const int requests = 40;
        for (var i = 0; i < requests; i++)
        {
            var features = ModelPackageTests.Features(holdout, holdout.Rows[i]);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync("v2", features, i % 4 == 0 ? [("x-aviary-shadow", "1"), ("x-request-id", $"r{i}")] : [("x-request-id", $"r{i}")])).Status);
            if (i % 2 == 0)
                Assert.Equal(HttpStatusCode.OK, (await PostAsync("c1", features)).Status);
        }

        await fixture.Sender.FlushAsync(CancellationToken.None);

        Assert.Equal(requests, fixture.Api.Predictions(ModelServerFixture.Model, "v2") - before.V2);
        Assert.Equal(requests / 2, fixture.Api.Predictions(ModelServerFixture.Model, "c1") - before.C1);
        var last = fixture.Api.Batches(ModelServerFixture.Model).Last(b => b.Batch.Version == "v2");
        Assert.Equal("test-key", last.Key);
        Assert.Equal(requests, last.Batch.Requests);
        Assert.Equal(Enumerable.Range(0, requests).Select(i => $"r{i}"), last.Batch.Predictions.Select(p => p.RequestId));
        Assert.Equal(requests / 4, last.Batch.Predictions.Count(p => p.Shadow));
        Assert.All(last.Batch.Predictions, p => Assert.True(p.LatencyMs > 0));
        var reference = ModelCard.Read(fixture.Models.PriceV2).Reference;
        Assert.Equal(reference.Features.Select(f => f.Name), last.Batch.Features.Select(f => f.Name));
        Assert.All(last.Batch.Features, f => Assert.Equal(requests, f.Counts.Sum() + f.Missing));
        // The region counts are the holdout's own, bin by bin.
        var region = reference.Features[4];
        var expected = new long[region.Bins];
        foreach (var row in holdout.Rows.Take(requests))
            expected[FeatureBinning.Bin(region, row[4])]++;
        Assert.Equal(expected, last.Batch.Features[4].Counts);
    }

    [Fact]
    public async Task Ready_NamesTheVersionThatCannotLoad()
    {
        foreach (var name in fixture.Versions.Configured)
            await fixture.Versions.GetAsync(name, CancellationToken.None);

        using var response = await fixture.Http.GetAsync("/healthz/ready");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("broken: model file '", json.GetProperty("detail").GetString());
        Assert.Contains("mixed: ensemble 'mixed'", json.GetProperty("detail").GetString());
        Assert.DoesNotContain("v1:", json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Metrics_CountRequestsByVersionAndOutcome()
    {
        await PostAsync("v1", Row());
        await PostAsync("v9", Row());

        var text = await fixture.Http.GetStringAsync("/metrics");

        Assert.Matches("""aviary_model_requests_total\{version="v1",outcome="ok"\} [1-9]""", text);
        Assert.Matches("""aviary_model_requests_total\{version="-",outcome="unknown"\} [1-9]""", text);
        Assert.Matches("""aviary_model_scoring_seconds_count\{version="v1"\} [1-9]""", text);
    }

    [Fact]
    public void ServerAssembly_ReferencesNoOrleansAssembly()
    {
        var references = typeof(ModelServerProgram).Assembly.GetReferencedAssemblies().Select(a => a.Name!);

        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal));
    }

    private Dictionary<string, JsonElement> Row()
    {
        var holdout = Holdout(ModelPackage.Load(fixture.Models.PriceV1));
        return ModelPackageTests.Features(holdout, holdout.Rows[0]);
    }

    private static Dataset Holdout(ModelPackage package) =>
        DatasetFile.Read(Path.Combine(Path.GetDirectoryName(package.CardPath)!, package.Card.HoldoutFile)).Data;

    private async Task<Answer> PostAsync(string version, object body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v/{version}/predict") { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
            request.Headers.Add(name, value);
        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.TryGetValues("x-request-id", out var ids) ? ids.Single() : null, JsonDocument.Parse(text).RootElement);
    }

    private sealed record Answer(HttpStatusCode Status, string? ContentType, string? RequestId, JsonElement Json);
}

using Aviary.Agents.Models;
using Aviary.ModelServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Aviary.Tests.Models;

/// <summary>
/// One model server in process on 127.0.0.1 with the small trained models: price versions v1, v2,
/// churn versions c1, c2, c3, a version whose model file was changed (broken), ensembles of them,
/// and a fake Aviary API that serves version api-v1 (and api-bad, whose file does not match its
/// card) and receives observations. Observations are flushed by the tests, not by the timer.
/// </summary>
public sealed class ModelServerFixture : IAsyncLifetime
{
    public const string Model = "houses";

    public TrainedModels Models { get; } = new();

    public FakeAviaryApi Api { get; private set; } = null!;

    public WebApplication Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string ChurnV3 { get; private set; } = "";

    public string Broken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ChurnV3 = Models.Train("churn-v3", Models.Original, TrainedModels.Regression("churn") with { Task = ModelTasks.Binary, Algorithm = "fasttree", Seed = 3 });
        Broken = Models.Train("broken", Models.Original, TrainedModels.Regression("price") with { Algorithm = "linear" });
        File.AppendAllText(Path.Combine(Path.GetDirectoryName(Broken)!, "model.zip"), "tampered");
        Api = await FakeAviaryApi.StartAsync();
        Api.Serve("api-v1", Models.PriceV1);
        Api.Serve("api-bad", Models.PriceV1, artifact: [1, 2, 3]);
        Server = ModelServerProgram.Build(Args(Model,
            ("Models:v1", Models.PriceV1), ("Models:v2", Models.PriceV2), ("Models:c1", Models.ChurnV1), ("Models:c2", Models.ChurnV2), ("Models:c3", ChurnV3), ("Models:broken", Broken),
            ("Ensembles:avg:Members:0", "v1"), ("Ensembles:avg:Members:1", "v2"), ("Ensembles:avg:Combine", "mean"),
            ("Ensembles:cvote:Members:0", "c1"), ("Ensembles:cvote:Members:1", "c2"), ("Ensembles:cvote:Members:2", "c3"), ("Ensembles:cvote:Combine", "vote"),
            ("Ensembles:cmean:Members:0", "c1"), ("Ensembles:cmean:Members:1", "c2"),
            ("Ensembles:mixed:Members:0", "v1"), ("Ensembles:mixed:Members:1", "c1"),
            ("FlushInterval", "00:10:00")));
        await Server.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(Server.Urls.First()) };
    }

    /// <summary>Command-line arguments for a server of <paramref name="model"/> on a free loopback port, talking to the fake API.</summary>
    public string[] Args(string model, params (string Key, string Value)[] settings) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Logging:LogLevel:Default", "Warning",
        $"--{ModelServerOptions.Section}:Model", model,
        $"--{ModelServerOptions.Section}:ApiUrl", Api.Url,
        $"--{ModelServerOptions.Section}:ApiKey", "test-key",
        $"--{ModelServerOptions.Section}:CacheDirectory", Path.Combine(Models.Directory, "cache-" + model),
        .. settings.SelectMany(s => new[] { $"--{ModelServerOptions.Section}:{s.Key}", s.Value }),
    ];

    public ModelVersions Versions => Server.Services.GetRequiredService<ModelVersions>();

    public ObservationSender Sender => Server.Services.GetRequiredService<ObservationSender>();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        await Api.DisposeAsync();
        Models.Dispose();
    }
}

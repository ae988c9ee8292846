using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aviary.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel): records every request it gets (headers and exact
/// body bytes) and answers as the test says (<see cref="Answer"/>): 200, 500, a refusal, or never.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    public sealed record Received(string Event, string Delivery, string? Signature, string? Timestamp, byte[] Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public override string ToString() => $"{Event} {Delivery} {System.Text.Encoding.UTF8.GetString(Body)}";
    }

    private readonly WebApplication _app;
    private readonly List<Received> _received = [];
    private readonly List<(Func<Received, bool> Match, TaskCompletionSource<Received> Seen)> _waiters = [];

    private HookReceiver(WebApplication app) => _app = app;

    /// <summary>What the receiver answers; it may never return (a receiver that times out), until the caller gives up.</summary>
    public Func<Received, CancellationToken, Task<IResult>> Answer { get; set; } = (_, _) => Task.FromResult(Results.Ok());

    public string Url { get; private set; } = "";

    public static async Task<HookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HookReceiver(app);
        app.MapPost("/hook", (Delegate)(Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Urls.First() + "/hook";
        return receiver;
    }

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public void AnswerWith(int status, string body = "") => Answer = (_, _) => Task.FromResult(Results.Text(body, statusCode: status));

    /// <summary>Never answers: the caller's timeout ends the request.</summary>
    public void NeverAnswer() => Answer = async (_, token) =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, token);
        return Results.Ok();
    };

    public Received[] All
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    /// <summary>The first request (already received or yet to come) that <paramref name="match"/>es, within <paramref name="timeout"/> (30 s).</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, string what, TimeSpan? timeout = null)
    {
        var seen = new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_received)
        {
            if (_received.FirstOrDefault(match) is { } already)
                return already;
            _waiters.Add((match, seen));
        }
        var limit = timeout ?? Poll.DefaultTimeout;
        try
        {
            return await seen.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: not received within {limit.TotalSeconds} s; received: [{string.Join("; ", All.Select(r => r.ToString()))}]");
        }
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers;
        var received = new Received(headers["X-Aviary-Event"].ToString(), headers["X-Aviary-Delivery"].ToString(),
            headers["X-Aviary-Signature"].FirstOrDefault(), headers["X-Aviary-Timestamp"].FirstOrDefault(), buffer.ToArray());
        lock (_received)
        {
            _received.Add(received);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(received))
                {
                    waiter.Seen.TrySetResult(received);
                    _waiters.Remove(waiter);
                }
            }
        }
        try
        {
            return await Answer(received, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return Results.Empty; // the caller gave up
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>
/// The bytes a hook receives for a notice, in its format: Aviary's JSON payload, a Slack
/// incoming-webhook message (<c>text</c> + <c>blocks</c>), or a Teams message with an Adaptive Card.
/// </summary>
public static class WebhookBodies
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The notice with its console links written out from <paramref name="publicUrl"/>.</summary>
    public static WebhookNotice WithLinks(WebhookNotice notice, string publicUrl)
    {
        var root = publicUrl.TrimEnd('/');
        return notice with
        {
            Link = root + notice.ConsolePath,
            ApprovalLink = notice.ApprovalToken is { } token ? $"{root}/#/approve/{token}" : null,
        };
    }

    public static byte[] Render(WebhookNotice notice, WebhookFormat format) => format switch
    {
        WebhookFormat.Slack => JsonSerializer.SerializeToUtf8Bytes(Slack(notice), Json),
        WebhookFormat.Teams => JsonSerializer.SerializeToUtf8Bytes(Teams(notice), Json),
        _ => JsonSerializer.SerializeToUtf8Bytes(notice, Json),
    };

    /// <summary>One line: what happened to what.</summary>
    public static string Title(WebhookNotice n) =>
        n.RolloutId is not null ? $"{n.Event}: {n.Service} {n.Version} ({n.RolloutId}) at {n.Weight} %"
        : n.Run is not null ? $"{n.Event}: run {n.Run}"
        : n.Event;

    private static JsonObject Slack(WebhookNotice n)
    {
        var text = $"*{Title(n)}*\n{n.Message}" + (Figures(n) is { } f ? $"\n{f}" : "") + $"\n<{n.Link}|Open in Aviary>";
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } },
        };
        if (n.ApprovalLink is { } approve)
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"<{approve}|Approve the next stage> (one use, expires)" } });
        return new JsonObject { ["text"] = $"{Title(n)}: {n.Message}", ["blocks"] = blocks };
    }

    private static JsonObject Teams(WebhookNotice n)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = Title(n), ["weight"] = "Bolder", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = n.Message, ["wrap"] = true },
        };
        if (Figures(n) is { } f)
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = f, ["wrap"] = true, ["isSubtle"] = true });
        var actions = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Aviary", ["url"] = n.Link } };
        if (n.ApprovalLink is { } approve)
            actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Approve the next stage", ["url"] = approve });
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
            ["actions"] = actions,
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static string? Figures(WebhookNotice n) => n.Figures is not { } f ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"last check {f.Result}: canary {f.CanaryErrorRate * 100:0.0} % errors, p95 {f.CanaryP95Ms:0} ms over {f.CanaryCount}; stable {f.StableErrorRate * 100:0.0} %, p95 {f.StableP95Ms:0} ms over {f.StableCount}");
}

using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>Writes a notice's console links from the silo's public URL (<c>Aviary:PublicUrl</c>).</summary>
public sealed class WebhookLinks(string publicUrl)
{
    public string PublicUrl { get; } = publicUrl.TrimEnd('/');

    public WebhookNotice Fill(WebhookNotice notice) => WebhookBodies.WithLinks(notice, PublicUrl);
}

using Aviary.Silo.Security;
using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>Signs bodies with a hook's secret, read from the vault (ciphertext at rest) when it is needed.</summary>
public sealed class WebhookSecrets(SecretVault vault)
{
    public async Task<string> SignAsync(WebhookSpec hook, byte[] body) =>
        WebhookSigner.Sign(await vault.RevealAsync(WebhookSpec.SecretName(hook.Id)), body);
}

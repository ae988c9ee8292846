using System.Text;
using Aviary.Silo.Webhooks;

namespace Aviary.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Sign_KnownVector_IsHexHmacSha256WithPrefix()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var signature = WebhookSigner.Sign("Jefe", "what do ya want for nothing?"u8);

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Fact]
    public void Verify_ExactBody_Passes_AnyChange_Fails()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"rollout.stage\"}");
        var signature = WebhookSigner.Sign("s3cret-s3cret-s3cret", body);

        Assert.True(WebhookSigner.Verify("s3cret-s3cret-s3cret", body, signature));
        Assert.False(WebhookSigner.Verify("another-secret-entirely", body, signature));
        Assert.False(WebhookSigner.Verify("s3cret-s3cret-s3cret", Encoding.UTF8.GetBytes("{\"event\":\"rollout.stage\" }"), signature));
        Assert.False(WebhookSigner.Verify("s3cret-s3cret-s3cret", body, signature[7..]));
        Assert.False(WebhookSigner.Verify("s3cret-s3cret-s3cret", body, null));
    }

    [Fact]
    public void NewSecret_Is64HexDigits_AndDiffersEachTime()
    {
        var a = WebhookSigner.NewSecret();

        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, WebhookSigner.NewSecret());
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Aviary.Harness;

/// <summary>
/// A certificate authority made for a test, and PEM files of certificates it signs: what
/// docs/kubernetes.md has an operator make with openssl, made with .NET's CertificateRequest.
/// </summary>
public sealed class TestCertificates
{
    private readonly X509Certificate2 _ca;
    private readonly string _folder;

    private TestCertificates(X509Certificate2 ca, string folder, string caPath)
    {
        _ca = ca;
        _folder = folder;
        CaPath = caPath;
    }

    public string CaPath { get; }

    public static TestCertificates NewAuthority(string name)
    {
        var folder = Directory.CreateTempSubdirectory($"aviary-{name}-").FullName;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256); // held by the authority's certificate
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var caPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return new TestCertificates(ca, folder, caPath);
    }

    /// <summary>A certificate for <paramref name="name"/>, for server and client authentication, signed by this authority.</summary>
    public Aviary.Gateway.OrleansTlsOptions Issue(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        var certificatePath = Path.Combine(_folder, $"{name}.crt");
        var keyPath = Path.Combine(_folder, $"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new Aviary.Gateway.OrleansTlsOptions { Certificate = certificatePath, Key = keyPath, Ca = CaPath };
    }
}

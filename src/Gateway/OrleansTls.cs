using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Aviary.Gateway;

/// <summary>
/// TLS for Orleans' own connections (silo to silo, gateway clients to silos), section
/// <c>Aviary:Tls</c>: each process presents its certificate (<see cref="Certificate"/> and
/// <see cref="Key"/>, PEM) and accepts only peers whose certificate the cluster's own CA
/// (<see cref="Ca"/>, PEM) signed, both ways: a silo refuses a client without such a certificate.
/// The CA is the trust: host names are not checked (pods come and go by address).
/// </summary>
public sealed class OrleansTlsOptions
{
    /// <summary>PEM certificate of this process (with its chain, if intermediate CAs signed it).</summary>
    public string Certificate { get; set; } = "";

    /// <summary>PEM private key of <see cref="Certificate"/> (empty when the certificate file holds it).</summary>
    public string Key { get; set; } = "";

    /// <summary>PEM certificate of the CA that signs every certificate of the cluster.</summary>
    public string Ca { get; set; } = "";

    public bool IsConfigured => Certificate.Length > 0 || Key.Length > 0 || Ca.Length > 0;

    /// <summary>Why the settings cannot work, naming the setting, or null.</summary>
    public string? FirstFailure()
    {
        if (!IsConfigured)
            return null;
        if (Certificate.Length == 0 || Ca.Length == 0)
            return "Aviary:Tls: give Certificate and Ca (and Key when the certificate file has no key), or none of them";
        foreach (var (name, path) in new[] { ("Certificate", Certificate), ("Key", Key), ("Ca", Ca) })
        {
            if (path.Length > 0 && !File.Exists(path))
                return $"Aviary:Tls:{name}: file '{path}' does not exist";
        }
        try
        {
            using var certificate = Load();
            if (!certificate.HasPrivateKey)
                return "Aviary:Tls:Key: the certificate has no private key (give Key)";
            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Ca));
            if (!OrleansTls.IsSignedBy(certificate, ca))
                return "Aviary:Tls:Certificate: is not signed by Aviary:Tls:Ca";
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            return $"Aviary:Tls: cannot read the certificate or key: {ex.Message}";
        }
        return null;
    }

    /// <summary>This process' certificate with its private key.</summary>
    public X509Certificate2 Load()
    {
        var pem = Key.Length > 0 ? X509Certificate2.CreateFromPemFile(Certificate, Key) : X509Certificate2.CreateFromPemFile(Certificate);
        // SslStream on Linux needs the key in a form it can hand to OpenSSL: an exportable PKCS#12 round trip gives it that.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>Applies <see cref="OrleansTlsOptions"/> to a silo or an Orleans client.</summary>
public static class OrleansTls
{
    public static ISiloBuilder UseAviaryTls(this ISiloBuilder silo, OrleansTlsOptions options)
    {
        var (certificate, ca) = (options.Load(), X509Certificate2.CreateFromPem(File.ReadAllText(options.Ca)));
        return silo.UseTls(certificate, tls => Configure(tls, ca));
    }

    public static IClientBuilder UseAviaryTls(this IClientBuilder client, OrleansTlsOptions options)
    {
        var (certificate, ca) = (options.Load(), X509Certificate2.CreateFromPem(File.ReadAllText(options.Ca)));
        return client.UseTls(certificate, tls => Configure(tls, ca));
    }

    private static void Configure(TlsOptions tls, X509Certificate2 ca)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (certificate, chain, _) => certificate is not null && IsSignedBy(certificate, ca, chain);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> alone (the system's roots are not trusted here).</summary>
    /// <remarks>Intermediate CAs the peer presented (<paramref name="presented"/>) may complete the chain; nothing is fetched from the network.</remarks>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 ca, X509Chain? presented = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }
}

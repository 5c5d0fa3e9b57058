using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>
/// An ECDSA key for the archive index's chain: a private key signs each entry when a log is
/// archived (<see cref="AuditLogOptions.SigningKey"/>), its public key alone verifies them. Keys are
/// PEM files as .NET and OpenSSL write them (PKCS#8 or SEC1 private keys, SubjectPublicKeyInfo
/// public keys); signatures are IEEE P1363 (r then s) over SHA-256 of the entry, in base64.
/// </summary>
public sealed class ChainKey : IDisposable
{
    private readonly ECDsa _key;
    private readonly object _gate = new(); // one ECDsa instance is not documented as thread-safe

    private ChainKey(ECDsa key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
        Id = Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8)).ToLowerInvariant();
    }

    /// <summary>
    /// The first 8 bytes of SHA-256 over the public key, in hex: written beside each signature so
    /// that a verifier tells "signed with another key" from "altered".
    /// </summary>
    public string Id { get; }

    /// <summary>True when the key can sign (a private key was given).</summary>
    public bool HasPrivateKey { get; }

    /// <summary>Reads a PEM text holding an EC private or public key.</summary>
    /// <exception cref="ArgumentException">The text holds no EC key PEM can give.</exception>
    public static ChainKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // .NET's own message speaks of its parameter and of paths; the inner exception keeps it.
            throw new ArgumentException(
                "the text is not an EC key in PEM form (\"-----BEGIN PRIVATE KEY-----\", \"-----BEGIN EC PRIVATE KEY-----\" or \"-----BEGIN PUBLIC KEY-----\").",
                error);
        }
        return new ChainKey(key, HasPrivatePart(key));
    }

    /// <summary>A new P-256 key (tests; users make one with the command in Test-ScoutAuditLog's help).</summary>
    public static ChainKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivateKey: true);

    /// <summary>The public key as SubjectPublicKeyInfo PEM: what a verifier needs.</summary>
    public string ExportPublicKeyPem()
    {
        lock (_gate) return _key.ExportSubjectPublicKeyInfoPem();
    }

    internal string Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey) throw new InvalidOperationException($"The key {Id} is a public key; signing needs its private key.");
        lock (_gate) return Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256));
    }

    internal bool Verify(ReadOnlySpan<byte> data, string signature)
    {
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length)) return false;
        lock (_gate) return _key.VerifyData(data, bytes.AsSpan(0, length), HashAlgorithmName.SHA256);
    }

    public void Dispose() => _key.Dispose();

    private static bool HasPrivatePart(ECDsa key)
    {
        try
        {
            key.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public override string ToString() => $"EC key {Id}{(HasPrivateKey ? " (private)" : "")}";

    internal static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

}

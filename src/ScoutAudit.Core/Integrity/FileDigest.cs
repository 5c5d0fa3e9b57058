using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>The SHA-256 of a whole file, lowercase hex, and its length: what the chain records of an archive.</summary>
internal static class FileDigest
{
    public static (string Digest, long Length) Compute(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1024 * 1024);
        return (Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant(), file.Length);
    }
}

using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>The SHA-256 of a whole file, lowercase hex, and its length: what the chain records of an archive.</summary>
internal static class FileDigest
{
    public static (string Digest, long Length) Compute(string path)
    {
        using var file = FileSafety.OpenRegularForReading(path, 1024 * 1024) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        return (Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant(), file.Length);
    }

    /// <summary>The digest and length of an open file, read through the handle (the file cannot change name under it).</summary>
    public static (string Digest, long Length) Compute(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        using var file = new FileRangeStream(handle, 0, length);
        return (Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant(), length);
    }

    /// <summary>The digest of a file's first <paramref name="length"/> bytes; null when it is shorter or missing.</summary>
    public static string? ComputePrefix(string path, long length)
    {
        try
        {
            using var file = FileSafety.OpenRegularForReading(path);
            return file is null ? null : ComputePrefix(file.SafeFileHandle, length);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The digest of an open file's first <paramref name="length"/> bytes; null when it is shorter.</summary>
    public static string? ComputePrefix(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length)
    {
        if (RandomAccess.GetLength(file) < length) return null;
        using var prefix = new PrefixDigest(new FileRangeStream(file, 0, length), length);
        prefix.CopyTo(Stream.Null);
        return prefix.Prefix;
    }
}

using System.Buffers.Binary;

namespace ScoutAudit.Core;

/// <summary>
/// Whether a <c>.jsonl.gz</c> file is a whole gzip stream. <see cref="System.IO.Compression.GZipStream"/> checks the
/// trailer's CRC-32 when the trailer is there (zlib reports a mismatch), but reads a stream cut
/// short as if it ended there; so the length in the last 4 bytes (ISIZE, the uncompressed length
/// modulo 2^32) is compared with what came out. Archives are single gzip members, as both this
/// module and the original write them. Queries make the same comparison after reading an archive.
/// Archives are read under <see cref="ArchiveBounds"/>, as queries read them.
/// </summary>
internal static class GzipIntegrity
{
    /// <summary>Reads the archive through; returns its length in bytes.</summary>
    /// <exception cref="InvalidDataException">The archive is damaged or cut short.</exception>
    public static long Check(string path, CancellationToken cancellation) => Check(path, null, out _, cancellation);

    /// <summary>
    /// Reads the archive through; returns its length in bytes, and in <paramref name="prefixDigest"/>
    /// the SHA-256 of its first <paramref name="prefixLength"/> uncompressed bytes (null when it holds fewer).
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is damaged or cut short, or decompresses past <see cref="ArchiveBounds"/>.</exception>
    public static long Check(string path, long? prefixLength, out string? prefixDigest, CancellationToken cancellation)
    {
        using var file = FileSafety.OpenExistingRegularForReading(path, 64 * 1024);
        if (file.Length < 18) throw new InvalidDataException($"It is {file.Length} bytes long, shorter than any gzip stream (18 bytes).");
        long uncompressed = 0;
        using (var gzip = new PrefixDigest(ArchiveBounds.Open(path, file, leaveOpen: true), prefixLength))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                uncompressed += read;
                cancellation.ThrowIfCancellationRequested();
            }
            prefixDigest = gzip.Prefix;
        }
        if (!TrailerMatches(file.SafeFileHandle, uncompressed, out var recorded))
            throw new InvalidDataException($"It is cut short or damaged: its last 4 bytes give a length of {recorded} bytes (modulo 2^32), and {uncompressed} bytes came out of it.");
        return file.Length;
    }

    /// <summary>The uncompressed length the archive's trailer records (modulo 2^32, and archives are far smaller); null when it cannot be read.</summary>
    public static long? RecordedLength(string path)
    {
        try
        {
            using var file = NativeFile.OpenRegularFileForReading(path); // never a FIFO's wait
            if (file is null) return null;
            var length = RandomAccess.GetLength(file);
            if (length < 18) return null;
            Span<byte> trailer = stackalloc byte[4];
            return RandomAccess.Read(file, trailer, length - 4) == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(trailer) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the archive's trailer records <paramref name="uncompressedLength"/> (modulo 2^32); true when the file is gone since.</summary>
    public static bool TrailerMatches(string path, long uncompressedLength)
    {
        try
        {
            using var file = NativeFile.OpenRegularFileForReading(path); // never a FIFO's wait
            return file is null || TrailerMatches(file, uncompressedLength, out _);
        }
        catch (IOException)
        {
            return true; // gone since: nothing more to say
        }
    }

    private static bool TrailerMatches(Microsoft.Win32.SafeHandles.SafeFileHandle file, long uncompressedLength, out uint recorded)
    {
        recorded = 0;
        var length = RandomAccess.GetLength(file);
        if (length < 18) return false; // smaller than any complete gzip member
        Span<byte> trailer = stackalloc byte[4];
        RandomAccess.Read(file, trailer, length - 4);
        recorded = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return recorded == (uint)uncompressedLength;
    }
}

using System.IO.Compression;
using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>
/// Compresses a sealed segment into its archive: streamed through <see cref="GZipStream"/> into a
/// temporary file (constant memory), synced, renamed into place, the directory synced. The archive
/// holds exactly the segment's bytes, so zcat gives back the original lines.
/// </summary>
internal static class ArchiveWriter
{
    /// <summary>
    /// Compresses the segment; returns the archive's description and the SHA-256 of the bytes
    /// compressed (lowercase hex), to be compared with the segment's seal record.
    /// </summary>
    public static (ArchiveDescription Archive, string SealedDigest) Compress(string sealedPath, string archivePath, CancellationToken cancellation)
    {
        var temporaryPath = archivePath + ".tmp";
        try
        {
            return Compress(sealedPath, archivePath, temporaryPath, cancellation);
        }
        catch
        {
            // A half-written archive is of no use, and on a full disk it holds the space the log needs to go on.
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static (ArchiveDescription, string) Compress(string sealedPath, string archivePath, string temporaryPath, CancellationToken cancellation)
    {
        byte[] digest;
        using var sealedDigest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long uncompressed;
        using (var source = FileSafety.OpenExistingRegularForReading(sealedPath))
        using (var target = new FileStream(temporaryPath, CreateOwnerOnly()))
        {
            // A SHA-256 transform passes bytes through unchanged, hashing the archive as it is written.
            using var sha = SHA256.Create();
            using (var hashing = new CryptoStream(target, sha, CryptoStreamMode.Write, leaveOpen: true))
            using (var gzip = new GZipStream(hashing, CompressionLevel.Optimal, leaveOpen: true))
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    sealedDigest.AppendData(buffer, 0, read);
                    gzip.Write(buffer, 0, read);
                }
                uncompressed = source.Position;
            }
            digest = sha.Hash!;
            target.Flush(flushToDisk: true);
        }
        File.Move(temporaryPath, archivePath, overwrite: true);
        NativeFile.SyncDirectory(Path.GetDirectoryName(archivePath)!);

        var (first, last, lines) = Describe(sealedPath, cancellation);
        return (new ArchiveDescription(archivePath, new FileInfo(archivePath).Length, first, last, lines, uncompressed, Convert.ToHexString(digest).ToLowerInvariant()),
            Convert.ToHexString(sealedDigest.GetHashAndReset()).ToLowerInvariant());
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The next archiving pass deletes a leftover temporary file.
        }
    }

    /// <summary>Describes an archive that exists but has no index entry (a crash came between rename and index).</summary>
    /// <exception cref="InvalidDataException">The archive is damaged, or decompresses past <see cref="ArchiveBounds"/>.</exception>
    public static ArchiveDescription DescribeArchive(string archivePath, CancellationToken cancellation)
    {
        var (digest, length) = FileDigest.Compute(archivePath);
        long uncompressed;
        DateTimeOffset? first, last;
        long lines;
        using (var file = FileSafety.OpenExistingRegularForReading(archivePath, 4096))
        using (var gzip = ArchiveBounds.Open(archivePath, file, leaveOpen: true))
        {
            var counting = new LineReader(gzip);
            (first, last, lines) = Describe(counting, cancellation);
            uncompressed = counting.BytesRead;
        }
        return new ArchiveDescription(archivePath, length, first, last, lines, uncompressed, digest);
    }

    private static (DateTimeOffset? First, DateTimeOffset? Last, long Lines) Describe(string path, CancellationToken cancellation)
    {
        using var file = FileSafety.OpenExistingRegularForReading(path);
        return Describe(new LineReader(file), cancellation);
    }

    // Min and max, not first and last: writers' clocks interleave, and the index must bound every event.
    private static (DateTimeOffset? First, DateTimeOffset? Last, long Lines) Describe(LineReader lines, CancellationToken cancellation)
    {
        DateTimeOffset? first = null, last = null;
        while (true)
        {
            var status = lines.Next(out var line);
            if (status == LineStatus.End) break;
            if (lines.LineNumber % 4096 == 0) cancellation.ThrowIfCancellationRequested();
            if (status == LineStatus.TooLong || !AuditLineParser.TryParse(line, out var e, out _)) continue;
            if (first is null || e!.Timestamp < first) first = e!.Timestamp;
            if (last is null || e.Timestamp > last) last = e.Timestamp;
        }
        return (first, last, lines.LineNumber);
    }

    private static FileStreamOptions CreateOwnerOnly()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }
}

namespace ScoutAudit.Core;

/// <summary>
/// Opens a sidecar of a log (the archive index, <c>.blocks</c>, a verification state, a forwarding
/// checkpoint) for reading the way no one else's file can be passed off as one: no symbolic link is
/// followed, a FIFO is not waited on, and only a regular file no longer than the sidecar's limit is
/// read (a link to /dev/zero, or a file of gigabytes, would otherwise be read into memory whole).
/// Whether its content may be trusted is <see cref="SidecarTrust"/>'s question.
/// </summary>
internal static class SidecarFile
{
    /// <summary>The archive index: some 300 bytes an entry, so about a million archives.</summary>
    public const long IndexLimit = 256L * 1024 * 1024;

    /// <summary>Small state files: a verification state, a forwarding checkpoint, the time blocks' summaries of one active file.</summary>
    public const long StateLimit = 64L * 1024 * 1024;

    /// <summary>The sidecar opened for reading, or null when there is none.</summary>
    /// <exception cref="UnsafeFileException">It is a link, not a regular file, or longer than <paramref name="limit"/>.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static FileStream? OpenForReading(string path, long limit)
    {
        var handle = NativeFile.OpenForReading(path, followLink: false);
        if (handle is null) return null;
        try
        {
            FileSafety.RequireRegular(handle, path);
            var length = RandomAccess.GetLength(handle);
            if (length > limit)
                throw new UnsafeFileException(path, $"'{path}' is {length} bytes long, more than the {limit} bytes a file of its kind may have: it is not read.");
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The sidecar's bytes as long as it was when opened, or null when there is none.</summary>
    /// <exception cref="UnsafeFileException">It is a link, not a regular file, or longer than <paramref name="limit"/>.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static byte[]? ReadAll(string path, long limit)
    {
        using var stream = OpenForReading(path, limit);
        if (stream is null) return null;
        var content = new byte[stream.Length]; // appended meanwhile: the rest is for the next reader
        stream.ReadExactly(content);
        return content;
    }
}

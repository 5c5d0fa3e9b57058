namespace ScoutAudit.Core;

/// <summary>
/// The first bytes of a file, for a command that looks at what is at a path before it replaces it:
/// read without ever waiting on a FIFO or a device that someone put there.
/// </summary>
public static class FileHead
{
    /// <summary>
    /// Up to <paramref name="maxBytes"/> from the start of the regular file at <paramref name="path"/>
    /// (links followed); null when nothing is there or it is not a regular file (a directory, a FIFO, a device).
    /// </summary>
    /// <exception cref="IOException">The file is there but cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is there but the caller may not read it.</exception>
    public static byte[]? Read(string path, int maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        using var handle = NativeFile.OpenRegularFileForReading(path);
        if (handle is null) return null;
        var buffer = new byte[maxBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
            if (read == 0) break;
            filled += read;
        }
        return buffer[..filled];
    }
}

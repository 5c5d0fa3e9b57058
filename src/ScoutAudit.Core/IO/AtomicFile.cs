using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>
/// Replaces a small state file as a whole: the content goes to a temporary file beside it (owner-only
/// on Unix), which is synced and renamed over the file, then the directory is synced. A reader sees the
/// old content or the new, never a mix, also after a crash or a power cut.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>; on failure the file keeps its old
    /// content and no temporary file is left. Not <paramref name="durable"/> (a hint that is made
    /// again when lost, such as <see cref="TimeBlocksFile"/>): nothing is synced, so a power cut may
    /// leave the old content or an empty file, never a mix.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content, bool durable = true)
    {
        string temporary;
        using (var stream = CreateTemporaryBeside(path, out temporary))
        {
            try
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }
            catch
            {
                stream.Dispose();
                TryDelete(temporary);
                throw;
            }
        }
        try
        {
            File.Move(temporary, path, overwrite: true); // rename(2) replaces a link at path, never follows it
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        if (durable) NativeFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// A new file beside <paramref name="path"/> under a name no one can guess
    /// (<c>&lt;name&gt;.&lt;64 random bits in hex&gt;.tmp</c>, which <see cref="LogFileNames"/> knows), made exclusively (O_CREAT|O_EXCL, which follows no link
    /// and opens nothing that was there) and owner-only whatever the umask: another user who may write
    /// in the directory can neither make the module write through a name they put there first nor
    /// read what it writes.
    /// </summary>
    public static FileStream CreateTemporaryBeside(string path, out string temporary, int bufferSize = 4096)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        for (var attempt = 0; ; attempt++)
        {
            temporary = Path.Combine(directory, $"{Path.GetFileName(path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}.tmp");
            try
            {
                return new FileStream(temporary, options);
            }
            catch (IOException) when (attempt < 3 && new FileInfo(temporary) is { Exists: true } or { LinkTarget: not null })
            {
                // Something has this name (64 random bits: only by guessing them): take another.
            }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
    }
}

using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Lines a ScoutAudit writer appended to the active file after the original tool read it for its
/// rotation: the original reads the whole file, gzips what it read to its archive, and deletes the
/// file; whatever came in between the read and the delete (and within the writer's lease after it)
/// is in the deleted file alone. A writer that finds its file deleted carries those lines into the
/// new active file before it goes on, so neither tool's rotation loses the other's events.
/// <para>
/// Only when an archive of the log holds exactly the deleted file's beginning (the original's
/// rotation): a file deleted any other way is not brought back. Carriers of the same deleted file
/// (every ScoutAudit process that had it open) take turns under a lock on it, and the first cuts it
/// back to what the archive holds once the lines are synced in the new file, so each line is carried
/// once; a crash between the two may carry it twice, never lose it.
/// </para>
/// </summary>
internal static class StrandedLines
{
    /// <summary>How many of the newest archives are compared with the deleted file's beginning.</summary>
    private const int ArchivesTried = 3;

    /// <summary>
    /// Carries what <paramref name="old"/> holds beyond the original's archive of it into
    /// <paramref name="active"/>. Called with the shared append lock held. Returns the bytes carried.
    /// </summary>
    public static long Carry(LogFiles files, SafeFileHandle old, AppendOnlyFile active, IAuditDiagnostics diagnostics)
    {
        if (NativeFile.LinkCountOf(old) != 0) return 0; // sealed by rename, or still in place: nothing stranded
        NativeFile.Lock(old, exclusive: true, wait: true);
        try
        {
            var length = RandomAccess.GetLength(old);
            if (length == 0 || ArchivedPrefix(files, old, length) is not { } archived || archived >= length) return 0;
            var tail = new byte[length - archived];
            var read = RandomAccess.Read(old, tail, archived);
            tail = tail[..read];
            var lines = tail.AsSpan().Count((byte)'\n');
            byte[] text = tail.Length > 0 && tail[^1] != (byte)'\n' ? [.. tail, (byte)'\n'] : tail; // a torn fragment stays one line
            if (active.EndsWithoutNewline()) text = [(byte)'\n', .. text];
            active.Append(text);
            active.Sync();
            NativeFile.Truncate(old, archived);
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LinesCarried, files.Active,
                $"Another tool archived and deleted '{files.Active}' while this process was appending to it (the original's rotation): the {lines} line(s) written after it read the file were carried into the new active file."));
            return read;
        }
        finally
        {
            NativeFile.Unlock(old);
        }
    }

    /// <summary>The length of the deleted file's beginning that one of the newest archives holds exactly; null when none does.</summary>
    private static long? ArchivedPrefix(LogFiles files, SafeFileHandle old, long length)
    {
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasArchive).Reverse().Take(ArchivesTried))
        {
            var path = files.PathOf(segment.ArchiveFile);
            if (GzipIntegrity.RecordedLength(path) is not { } recorded || recorded > length) continue;
            try
            {
                if (HoldsPrefix(path, old, recorded)) return recorded;
            }
            catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Not readable or not whole: not the archive sought.
            }
        }
        return null;
    }

    private static bool HoldsPrefix(string archivePath, SafeFileHandle old, long length)
    {
        using var file = FileSafety.OpenExistingRegularForReading(archivePath, 64 * 1024);
        using var archive = ArchiveBounds.Open(archivePath, file, leaveOpen: true);
        var fromArchive = new byte[64 * 1024];
        var fromFile = new byte[64 * 1024];
        long offset = 0;
        while (true)
        {
            var read = archive.ReadAtLeast(fromArchive, fromArchive.Length, throwOnEndOfStream: false);
            if (read == 0) return offset == length;
            if (offset + read > length || RandomAccess.Read(old, fromFile.AsSpan(0, read), offset) != read ||
                !fromArchive.AsSpan(0, read).SequenceEqual(fromFile.AsSpan(0, read))) return false;
            offset += read;
        }
    }
}

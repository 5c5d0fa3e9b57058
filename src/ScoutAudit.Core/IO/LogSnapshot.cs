namespace ScoutAudit.Core;

/// <summary>What a segment of the log is.</summary>
internal enum SegmentKind
{
    Archive,
    Sealed,
    Active,
}

/// <summary>One file of a query's snapshot. Sealed and active files are opened when the snapshot is taken.</summary>
internal sealed record Segment(string Path, SegmentKind Kind, FileStream? Opened, ArchiveInfo? Index);

/// <summary>
/// The files a query reads, oldest first: complete archives, sealed segments whose archive is not
/// complete, then the active file. Taken under the shared append lock, with the sealed and active
/// files opened at once, so that a rotation during the query neither hides nor repeats an event:
/// a file renamed or deleted afterwards is still read through its open handle.
/// </summary>
internal sealed class LogSnapshot : IDisposable
{
    private LogSnapshot(List<Segment> segments) => Segments = segments;

    public IReadOnlyList<Segment> Segments { get; }

    public static LogSnapshot Take(LogFiles files)
    {
        using var appendLock = CrossProcessLock.TryOpenExisting(files.AppendLock);
        using var held = appendLock?.Acquire(exclusive: false);

        var index = ArchiveIndex.Read(files);
        var segments = new List<Segment>();
        try
        {
            foreach (var rotated in RotatedSegments.List(files))
            {
                if (rotated.HasArchive)
                {
                    var path = files.PathOf(rotated.ArchiveFile);
                    var current = index.TryGetValue(rotated.ArchiveFile, out var entry) && entry.CompressedBytes == Length(path) ? entry : null;
                    segments.Add(new Segment(path, SegmentKind.Archive, null, current));
                }
                else if (rotated.HasSealed && TryOpen(files.PathOf(rotated.SealedFile)) is { } sealedFile)
                {
                    segments.Add(new Segment(sealedFile.Name, SegmentKind.Sealed, sealedFile, null));
                }
            }
            if (TryOpen(files.Active) is { } active) segments.Add(new Segment(files.Active, SegmentKind.Active, active, null));
        }
        catch
        {
            foreach (var segment in segments) segment.Opened?.Dispose();
            throw;
        }
        return new LogSnapshot(segments);
    }

    public void Dispose()
    {
        foreach (var segment in Segments) segment.Opened?.Dispose();
    }

    /// <summary>Opens a file for reading beside writers and rotation; null when it does not exist.</summary>
    public static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0, // LineReader buffers
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(path, $"The audit log file '{path}' cannot be read: {error.Message}", error);
        }
    }

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return -1;
        }
    }
}

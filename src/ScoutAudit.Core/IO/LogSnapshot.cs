using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>What a segment of the log is.</summary>
internal enum SegmentKind
{
    Archive,
    Sealed,
    Active,
}

/// <summary>
/// One file of a query's snapshot. Sealed and active files are opened when the snapshot is taken.
/// <see cref="Ranges"/>, when set, are the only parts of the file a query needs to read.
/// </summary>
internal sealed record Segment(string Path, SegmentKind Kind, Stream? Opened, ArchiveDescription? Index, IReadOnlyList<ReadRange>? Ranges = null)
{
    /// <summary>
    /// Where the segment's first byte stands in the log's whole history: the uncompressed bytes of
    /// every segment before it, archives gone from the disk included while the index describes them.
    /// An event's <see cref="LogEvent.Id"/> is this plus its line's offset in the segment.
    /// </summary>
    public long Base { get; init; }

    /// <summary>The segment's uncompressed length, where it is known without reading it.</summary>
    public long? Length { get; init; }
}

/// <summary>
/// The files a query reads, oldest first: complete archives, sealed segments whose archive is not
/// complete, then the active file. Taken under the shared append lock, with the sealed and active
/// files opened at once, so that a rotation during the query neither hides nor repeats an event:
/// a file renamed or deleted afterwards is still read through its open handle. The active file is
/// read up to its length at the snapshot, which ends with a complete line: see <see cref="CompleteLength"/>.
/// </summary>
internal sealed class LogSnapshot : IDisposable
{
    private LogSnapshot(List<Segment> segments) => Segments = segments;

    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>
    /// Where the history ends: the <see cref="LogEvent.Id"/> a line appended after the snapshot
    /// gets is this or more.
    /// </summary>
    public long End { get; private set; }

    /// <summary>
    /// The files of the log now. A sealed segment or active file that exists but cannot be opened
    /// for reading (its permissions, a failing disk) is reported to <paramref name="diagnostics"/>
    /// and left out, as an unreadable archive is: the query goes on with the rest of the log.
    /// </summary>
    public static LogSnapshot Take(LogFiles files, IAuditDiagnostics diagnostics)
    {
        using var appendLock = CrossProcessLock.TryOpenExisting(files.AppendLock);
        var segments = new List<Segment>();
        var index = ArchiveIndex.Read(files, diagnostics);
        FileStream? active = null;
        long end;
        try
        {
            using (appendLock?.Acquire(exclusive: false))
            {
                List(files, index, segments, diagnostics);
                active = TryOpenReadable(files.Active, diagnostics);
            }
            if (active is not null)
            {
                var length = CompleteLength(active, files, appendLock);
                segments.Add(new Segment(files.Active, SegmentKind.Active, new Prefix(active, length), null) { Length = length });
            }
            end = PlaceInHistory(files, index, segments);
        }
        catch
        {
            active?.Dispose();
            foreach (var segment in segments) segment.Opened?.Dispose();
            throw;
        }
        return new LogSnapshot(segments) { End = end };
    }

    /// <summary>
    /// How much of the active file to read: all of it when it ends with a newline. When it does not,
    /// either a writer is in the middle of a write (whose pages become visible one by one, so a
    /// reader can meet half a line) or a crash tore the line; the exclusive append lock, taken as a
    /// sealer takes it, waits for every write in progress to end, and the length then tells which.
    /// </summary>
    private static long CompleteLength(FileStream active, LogFiles files, CrossProcessLock? appendLock)
    {
        var handle = active.SafeFileHandle;
        var length = RandomAccess.GetLength(handle);
        Span<byte> last = stackalloc byte[1];
        if (length == 0 || appendLock is null || (RandomAccess.Read(handle, last, length - 1) == 1 && last[0] == (byte)'\n')) return length;
        using var intent = CrossProcessLock.TryOpenExisting(files.SealIntent);
        using (intent?.Acquire(exclusive: true))
        using (appendLock.Acquire(exclusive: true))
            return RandomAccess.GetLength(handle);
    }

    /// <summary>The archives and sealed segments, oldest first; called under the shared append lock, so no seal happens meanwhile.</summary>
    private static void List(LogFiles files, Dictionary<string, ArchiveDescription> index, List<Segment> segments, IAuditDiagnostics diagnostics)
    {
        HashSet<string>? sealRecords = null; // read under the lock, and only when a sealed segment is there (they are short-lived)
        foreach (var rotated in RotatedSegments.List(files))
        {
            if (rotated.HasArchive)
            {
                var path = files.PathOf(rotated.ArchiveFile);
                var current = index.TryGetValue(rotated.ArchiveFile, out var entry) && entry.CompressedBytes == Length(path) ? entry : null;
                segments.Add(new Segment(path, SegmentKind.Archive, null, current));
            }
            else if (rotated.HasSealed && TryOpenReadable(files.PathOf(rotated.SealedFile), diagnostics) is { } sealedFile)
            {
                var sealedPath = files.PathOf(rotated.SealedFile); // not sealedFile.Name: a stream made from a handle has no name
                segments.Add(new Segment(sealedPath, SegmentKind.Sealed, sealedFile, null));
                sealRecords ??= ArchiveIndex.ReadLines(files).Where(l => l.Kind == IndexLineKind.Seal).Select(l => l.Archive!).ToHashSet(StringComparer.Ordinal);
                if (!sealRecords.Contains(rotated.SealedFile))
                    diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentUnexplained, sealedPath,
                        $"Read '{sealedPath}', a sealed segment the log's chain holds no seal record of: it was put beside the log, or its sealer crashed. ScoutAudit never archives it; Test-ScoutAuditLog reports it (UnknownSegment)."));
            }
            else if (rotated.HasSealed && File.Exists(files.PathOf(rotated.ArchiveFile)))
            {
                // Archived and deleted since the listing: its archive was complete before the segment went.
                segments.Add(new Segment(files.PathOf(rotated.ArchiveFile), SegmentKind.Archive, null, null));
            }
        }
    }

    /// <summary>
    /// This snapshot with only the files <paramref name="reads"/> accepts (all when null); the others
    /// are closed. Each file kept keeps its place in the history, so its events keep their ids.
    /// </summary>
    public LogSnapshot Keeping(Func<string, bool>? reads)
    {
        if (reads is null) return this;
        var kept = new List<Segment>(Segments.Count);
        try
        {
            foreach (var segment in Segments)
            {
                if (reads(segment.Path)) kept.Add(segment);
                else segment.Opened?.Dispose();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        return new LogSnapshot(kept) { End = End };
    }

    public void Dispose()
    {
        foreach (var segment in Segments) segment.Opened?.Dispose();
    }

    /// <summary>
    /// Gives each segment its <see cref="Segment.Base"/>: archives by their index entry's
    /// uncompressed size (else their gzip trailer's), sealed segments by their length, and archives
    /// no longer on disk (retention, a deletion) by their entry, in the order of their names.
    /// Returns where the history ends.
    /// </summary>
    private static long PlaceInHistory(LogFiles files, Dictionary<string, ArchiveDescription> index, List<Segment> segments)
    {
        var onDisk = segments.Select(s => System.IO.Path.GetFileName(s.Path)).ToHashSet(StringComparer.Ordinal);
        var gone = new List<(ArchiveName Name, long Bytes)>();
        foreach (var (file, entry) in index)
        {
            if (onDisk.Contains(file) || entry.UncompressedBytes is not { } bytes) continue;
            if (ArchiveName.TryParse(file, files.Stem, out var name, out _)) gone.Add((name, bytes));
        }
        gone.Sort((a, b) => a.Name.CompareTo(b.Name));
        long position = 0;
        var next = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var isRotated = ArchiveName.TryParse(System.IO.Path.GetFileName(segment.Path), files.Stem, out var name, out _);
            while (next < gone.Count && (!isRotated || gone[next].Name.CompareTo(name) < 0)) position += gone[next++].Bytes;
            var length = segment.Length ?? segment.Kind switch
            {
                SegmentKind.Archive => segment.Index?.UncompressedBytes ?? GzipIntegrity.RecordedLength(segment.Path),
                _ => segment.Opened?.Length,
            };
            segments[i] = segment with { Base = position, Length = length };
            position += length ?? 0;
        }
        while (next < gone.Count) position += gone[next++].Bytes;
        return position;
    }

    /// <summary>Like <see cref="TryOpen"/>, but a file that cannot be read is reported and taken as absent.</summary>
    private static FileStream? TryOpenReadable(string path, IAuditDiagnostics diagnostics)
    {
        try
        {
            return TryOpen(path);
        }
        catch (AuditLogException error)
        {
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.FileUnreadable, path,
                $"The audit log file '{path}' cannot be read and was skipped: {error.InnerException?.Message ?? error.Message}", Exception: error));
            return null;
        }
    }

    /// <summary>Opens a file for reading beside writers and rotation; null when it does not exist.</summary>
    public static FileStream? TryOpen(string path)
    {
        try
        {
            return FileSafety.OpenRegularForReading(path); // unbuffered: LineReader buffers
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

    /// <summary>
    /// The file of a sealed segment or the active file, for reading at any offset, with the length the
    /// snapshot saw; null for an archive (gzip reads forwards only).
    /// </summary>
    public static (SafeFileHandle File, long Length)? RandomAccessOf(Segment segment) => segment.Opened switch
    {
        Prefix prefix => (prefix.File.SafeFileHandle, prefix.Length),
        FileStream file => (file.SafeFileHandle, file.Length),
        _ => null,
    };

    /// <summary>A read-only view of the first <paramref name="length"/> bytes of a file: what the snapshot saw, not what writers add later.</summary>
    private sealed class Prefix(FileStream file, long length) : ForwardOnlyStream(file)
    {
        public FileStream File => (FileStream)Inner;

        private long _position;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            var left = length - _position;
            if (left <= 0) return 0;
            var read = Inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
            _position += read;
            return read;
        }
    }
}

namespace ScoutAudit.Core;

/// <summary>
/// What is done with a log's archives once they are made, each change recorded in the archive
/// index: the original's archives adopted into the chain or given a hint for skipping them by
/// time, and archives removed by retention, each removal chained before the file goes. All under
/// the rotate lock, so that no archiver works beside them.
/// </summary>
internal sealed class ArchiveUpkeep(LogFiles files, AuditLogOptions options)
{
    /// <summary>
    /// Gives archives outside the chain without a current hint (those the original made) a hint, so
    /// that later queries can skip them by time as they skip ScoutAudit's own. Only when the rotate
    /// lock is free at once (a reader never waits for an archiver), and only in a directory the
    /// caller owns and an index that is the caller's alone (<see cref="SidecarTrust"/>): the caller
    /// is a query, which writes nothing of another's, and whose hints would not be taken from an
    /// index others can write. An archive in the chain gets none: its chained entry alone describes
    /// it, stale or not. Returns the archives described.
    /// </summary>
    public IReadOnlyList<string> Index(IEnumerable<string> archivePaths, CancellationToken cancellation)
    {
        var described = new List<string>();
        if (!SidecarTrust.IsCallersDirectory(files.Directory)) return described; // before the lock file, which would be created there
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using var held = rotateLock.TryAcquire(exclusive: true);
        if (held is null) return described;
        var lines = ArchiveIndex.ReadLines(files, out var callersAlone);
        if (!callersAlone) return described;
        var index = ArchiveIndex.Describing(lines, trustHints: true);
        foreach (var path in archivePaths)
        {
            cancellation.ThrowIfCancellationRequested();
            var name = System.IO.Path.GetFileName(path);
            if (index.TryGetValue(name, out var entry) && (entry.IsChained || entry.Info!.CompressedBytes == new FileInfo(path).Length)) continue;
            if (!ArchiveIndex.AppendHint(files, ArchiveWriter.DescribeArchive(path, cancellation))) break;
            described.Add(path);
        }
        return described;
    }

    /// <summary>
    /// Chains the archives without a chained entry, oldest first (see <see cref="AuditLog.Adopt"/>).
    /// Each is read whole and described before <paramref name="shouldAdopt"/> is asked, so that the
    /// question can name its time range and lines; the entry is appended only while its bytes are
    /// still those described.
    /// </summary>
    public IReadOnlyList<ArchiveDescription> Adopt(Func<ArchiveDescription, bool> shouldAdopt, Action<string, Exception> skipped, CancellationToken cancellation)
    {
        // Described and asked before the lock is taken, so that declining every archive (-WhatIf) leaves no file touched.
        var chosen = new List<ArchiveDescription>();
        foreach (var path in Unchained(ChainedArchives()))
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                GzipIntegrity.Check(path, cancellation);
                var info = ArchiveWriter.DescribeArchive(path, cancellation);
                if (shouldAdopt(info)) chosen.Add(info);
            }
            catch (InvalidDataException error)
            {
                skipped(path, error);
            }
        }
        var adopted = new List<ArchiveDescription>();
        if (chosen.Count == 0) return adopted;
        ArchiveIndex.RequireKeyFor(files, options.SigningKey);
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using (rotateLock.Acquire(exclusive: true))
        {
            var stillUnchained = Unchained(ChainedArchives()).ToHashSet(StringComparer.Ordinal); // another adopter may have come first
            foreach (var info in chosen.Where(a => stillUnchained.Contains(a.Path)))
            {
                cancellation.ThrowIfCancellationRequested();
                var (digest, length) = FileDigest.Compute(info.Path);
                if (digest != info.Sha256 || length != info.CompressedBytes)
                {
                    skipped(info.Path, new InvalidDataException("its bytes changed after it was read and described"));
                    continue;
                }
                ArchiveIndex.AppendArchive(files, info, options.SigningKey, adopted: true);
                adopted.Add(info);
            }
        }
        return adopted;
    }

    /// <summary>
    /// Removes the archives <see cref="ArchiveRetention.Select"/> picks and <paramref name="shouldRemove"/>
    /// agrees to, oldest first: each is hashed, its removal (digest, time range, <paramref name="reason"/>)
    /// appended to the chain, then the file deleted. A crash between the two leaves a recorded
    /// removal whose archive is still there, which verification reports (RemovedArchivePresent).
    /// </summary>
    public IReadOnlyList<ArchiveDescription> Remove(DateTimeOffset? before, int? keep, string reason, Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation) =>
        Remove(ArchiveRetention.Select(Archives(), before, keep, files.Stem), reason, shouldRemove, cancellation);

    /// <summary>
    /// Removes the archives of <paramref name="candidates"/> (oldest first) that <paramref name="shouldRemove"/>
    /// agrees to, as <see cref="Remove(DateTimeOffset?, int?, string, Func{ArchiveDescription, bool}, CancellationToken)"/> does.
    /// </summary>
    public IReadOnlyList<ArchiveDescription> Remove(IEnumerable<ArchiveDescription> candidates, string reason, Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation)
    {
        // Asked before the lock is taken, so that declining every archive (-WhatIf) leaves no file touched.
        var chosen = candidates.Where(shouldRemove).ToList();
        var removed = new List<ArchiveDescription>();
        if (chosen.Count == 0) return removed;
        ArchiveIndex.RequireKeyFor(files, options.SigningKey);
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using (rotateLock.Acquire(exclusive: true))
        {
            foreach (var archive in chosen)
            {
                cancellation.ThrowIfCancellationRequested();
                if (!File.Exists(archive.Path)) continue; // removed meanwhile
                var (digest, length) = FileDigest.Compute(archive.Path);
                var described = archive with { Sha256 = digest, CompressedBytes = length };
                ArchiveIndex.AppendRemoval(files, described, options.Time.GetUtcNow(), reason, options.SigningKey);
                File.Delete(archive.Path);
                NativeFile.SyncDirectory(files.Directory);
                removed.Add(described);
            }
        }
        return removed;
    }

    private IEnumerable<string> Unchained(HashSet<string> chained) =>
        RotatedSegments.List(files).Where(s => s.HasArchive && !chained.Contains(s.ArchiveFile)).Select(s => files.PathOf(s.ArchiveFile));

    private HashSet<string> ChainedArchives() =>
        ArchiveIndex.ReadLines(files).Where(l => l.Kind == IndexLineKind.Archive).Select(l => l.Archive!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The archives on disk, oldest first, described by the index where its entry is current.</summary>
    public IReadOnlyList<ArchiveDescription> Archives()
    {
        var index = ArchiveIndex.Read(files);
        var archives = new List<ArchiveDescription>();
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasArchive))
        {
            var path = files.PathOf(segment.ArchiveFile);
            long size;
            try
            {
                size = new FileInfo(path).Length;
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            archives.Add(index.TryGetValue(segment.ArchiveFile, out var entry) && entry.CompressedBytes == size
                ? entry
                : new ArchiveDescription(path, size));
        }
        return archives;
    }
}

namespace ScoutAudit.Core;

/// <summary>
/// Rotation across threads and processes, in two steps.
/// <para>
/// <b>Seal</b> (brief): under the exclusive append lock, which writers hold shared while they append
/// (a lease of a few milliseconds, checking the active file's identity when they take it), the active
/// file is synced and renamed to the next unique <c>&lt;stem&gt;_YYYYMMDD_HHMMSS[_NNNN].jsonl</c>, and
/// the directory synced. Writers notice the new identity with their next lease and reopen the path,
/// so no line can land in a sealed segment.
/// </para>
/// <para>
/// <b>Archive</b> (slow, never while writers wait): under the rotate lock, each sealed segment is
/// compressed to <c>.jsonl.gz.tmp</c>, synced, renamed to <c>.jsonl.gz</c>, the directory synced, an
/// index entry appended, and only then the segment deleted. The same pass finishes whatever a crash
/// interrupted: a leftover temporary file is deleted and its segment compressed again; a segment
/// whose archive is complete is deleted. Queries read an archive only once it is complete, and a
/// sealed segment only while its archive is not, so every event is read exactly once.
/// </para>
/// </summary>
internal sealed class LogRotation(LogFiles files, AuditLogOptions options)
{
    /// <summary>
    /// Seals the active file when it holds at least <paramref name="minimumSize"/> bytes (any bytes
    /// when null). Returns the sealed segment's base name, or null when there was nothing to seal
    /// (it may have just been sealed elsewhere).
    /// </summary>
    public string? Seal(long? minimumSize)
    {
        using var intent = CrossProcessLock.Open(files.SealIntent);
        using var appendLock = CrossProcessLock.Open(files.AppendLock);
        using (intent.Acquire(exclusive: true)) // no writer takes a new lease from here on
        using (appendLock.Acquire(exclusive: true)) // the current leases end within their few milliseconds
        {
            var active = NativeFile.IdentityOf(files.Active);
            if (active is not { } found || found.Size == 0 || found.Size < (minimumSize ?? 1)) return null;

            var name = ArchiveName.Next(options.Time.GetUtcNow(), RotatedSegments.List(files).Select(s => s.Name));
            var baseName = name.BaseName(files.Stem);
            var sealedPath = files.PathOf(baseName + ArchiveName.SealedSuffix);
            using (var handle = File.OpenHandle(files.Active, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                NativeFile.Sync(handle); // lines of every writer, before the name changes
            File.Move(files.Active, sealedPath, overwrite: true); // rename(2); the name was chosen unique under the lock
            NativeFile.SyncDirectory(files.Directory);
            return baseName;
        }
    }

    /// <summary>
    /// Terminates a torn last line of the active file. Done with every writer's lease ended (the
    /// append lock held exclusive, as sealing holds it), so that a write still in progress, whose
    /// pages become visible one by one, is never taken for a torn line. Returns true when it did.
    /// </summary>
    public bool TerminateTornTail()
    {
        using var intent = CrossProcessLock.Open(files.SealIntent);
        using var appendLock = CrossProcessLock.Open(files.AppendLock);
        using (intent.Acquire(exclusive: true))
        using (appendLock.Acquire(exclusive: true))
        {
            if (NativeFile.IdentityOf(files.Active) is null) return false; // sealed meanwhile
            using var active = AppendOnlyFile.Open(files.Active);
            return active.TerminateTornTail();
        }
    }

    /// <summary>
    /// Archives every sealed segment and cleans up after interrupted rotations. Returns the archives it made.
    /// </summary>
    public IReadOnlyList<ArchiveInfo> ArchiveSealed(CancellationToken cancellation)
    {
        var made = new List<ArchiveInfo>();
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using (rotateLock.Acquire(exclusive: true))
        {
            HashSet<string>? chained = null;
            foreach (var segment in RotatedSegments.List(files))
            {
                cancellation.ThrowIfCancellationRequested();
                if (segment.HasTemporary) File.Delete(files.PathOf(segment.TemporaryFile)); // its writer died: we hold the lock
                if (!segment.HasSealed) continue;

                var archivePath = files.PathOf(segment.ArchiveFile);
                if (segment.HasArchive)
                {
                    // The archive was completed before a crash; make sure the chain holds it.
                    chained ??= ChainedArchives();
                    if (!chained.Contains(segment.ArchiveFile))
                        ArchiveIndex.AppendArchive(files, ArchiveWriter.DescribeArchive(archivePath, cancellation), options.SigningKey);
                }
                else
                {
                    var info = ArchiveWriter.Compress(files.PathOf(segment.SealedFile), archivePath, cancellation);
                    ArchiveIndex.AppendArchive(files, info, options.SigningKey);
                    made.Add(info);
                }
                File.Delete(files.PathOf(segment.SealedFile));
                NativeFile.SyncDirectory(files.Directory);
            }
        }
        return made;
    }

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

    /// <summary>Chains the archives without a chained entry, oldest first (see <see cref="AuditLog.Adopt"/>).</summary>
    public IReadOnlyList<ArchiveInfo> Adopt(Func<string, bool> shouldAdopt, Action<string, Exception> skipped, CancellationToken cancellation)
    {
        // Asked before the lock is taken, so that declining every archive (-WhatIf) leaves no file touched.
        var chosen = Unchained(ChainedArchives()).Where(shouldAdopt).ToList();
        var adopted = new List<ArchiveInfo>();
        if (chosen.Count == 0) return adopted;
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using (rotateLock.Acquire(exclusive: true))
        {
            var stillUnchained = Unchained(ChainedArchives()).ToHashSet(StringComparer.Ordinal); // another adopter may have come first
            foreach (var path in chosen.Where(stillUnchained.Contains))
            {
                cancellation.ThrowIfCancellationRequested();
                ArchiveInfo info;
                try
                {
                    GzipIntegrity.Check(path, cancellation);
                    info = ArchiveWriter.DescribeArchive(path, cancellation);
                }
                catch (InvalidDataException error)
                {
                    skipped(path, error);
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
    public IReadOnlyList<ArchiveInfo> Remove(DateTimeOffset? before, int? keep, string reason, Func<ArchiveInfo, bool> shouldRemove, CancellationToken cancellation)
    {
        // Asked before the lock is taken, so that declining every archive (-WhatIf) leaves no file touched.
        var chosen = ArchiveRetention.Select(Archives(), before, keep, files.Stem).Where(shouldRemove).ToList();
        var removed = new List<ArchiveInfo>();
        if (chosen.Count == 0) return removed;
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
    public IReadOnlyList<ArchiveInfo> Archives()
    {
        var index = ArchiveIndex.Read(files);
        var archives = new List<ArchiveInfo>();
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
                : new ArchiveInfo(path, size));
        }
        return archives;
    }
}

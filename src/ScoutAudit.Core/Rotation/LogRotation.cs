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

            if (ForeignWriters.Of(files) is { Count: > 0 } writers) throw new SealDeferredException(files.Active, writers);
            // The chain read once for both questions: the append lock is held exclusive, writers wait.
            var chain = ArchiveIndex.ReadLines(files).Where(l => l.IsChained).ToList();
            ArchiveIndex.RequireKeyFor(files, chain, options.SigningKey); // before anything: a seal the chain cannot record is not made
            var name = ArchiveName.Next(options.Time.GetUtcNow(), RotatedSegments.List(files).Select(s => s.Name).Concat(SealedNames(chain)));
            var baseName = name.BaseName(files.Stem);
            var sealedPath = files.PathOf(baseName + ArchiveName.SealedSuffix);
            string digest;
            long length;
            // No link followed: a link put in place of the active file would seal, sign and archive another file's bytes.
            using (var handle = NativeFile.OpenForReading(files.Active, followLink: false) ?? throw new FileNotFoundException($"'{files.Active}' is gone", files.Active))
            {
                FileSafety.RequireWritable(handle, files.Active); // the file writers append to: theirs, one name
                NativeFile.Sync(handle); // lines of every writer, before the name changes
                (digest, length) = FileDigest.Compute(handle);
            }
            // The seal is recorded before the rename, while no writer of ours can add a line: only a
            // segment whose bytes match its seal record is ever archived and signed, so a file put
            // beside the log is never laundered into the chain. A crash between the record and the
            // rename leaves a record whose segment never appeared, and the same bytes at the start of
            // the active file: the next seal says it takes them over (Interrupted).
            ArchiveIndex.AppendChained(files, IndexLine.SealEntry(sealedPath, length, digest, Interrupted(chain)), options.SigningKey);
            BeforeRename?.Invoke();
            File.Move(files.Active, sealedPath, overwrite: true); // rename(2); the name was chosen unique under the lock
            NativeFile.SyncDirectory(files.Directory);
            // The original takes no lock: one that opened the file between the look above and the
            // rename appends to the sealed segment from now on. Found holding it, it gets its file
            // back under the active name, as if a crash had come between the seal record and the
            // rename (the next seal takes the bytes over); only when someone has created a new
            // active file meanwhile does the segment stay, to be reported and read as it is.
            if (ForeignWriters.Of(files) is { Count: > 0 } lateWriters && ReturnToActive(sealedPath))
                throw new SealDeferredException(files.Active, lateWriters);
            return baseName;
        }
    }

    /// <summary>
    /// The names the chain's seals took: a seal given back to the active file (<see cref="ReturnToActive"/>)
    /// left its name free on disk, and a new seal that took it would have one archive stand for both.
    /// </summary>
    private IEnumerable<ArchiveName> SealedNames(IEnumerable<IndexLine> chain)
    {
        foreach (var seal in chain.Where(l => l.Kind == IndexLineKind.Seal))
        {
            if (ArchiveName.TryParse(seal.Archive!, files.Stem, out var name, out _)) yield return name;
        }
    }

    /// <summary>Test seam: runs between the seal record and the rename, the moment a process that takes no lock may open the file.</summary>
    internal Action? BeforeRename { get; init; }

    private bool ReturnToActive(string sealedPath)
    {
        try
        {
            File.Move(sealedPath, files.Active, overwrite: false);
        }
        catch (IOException) when (File.Exists(files.Active))
        {
            return false;
        }
        NativeFile.SyncDirectory(files.Directory);
        return true;
    }

    /// <summary>
    /// The segment of the chain's last seal record when a crash came between that record and its
    /// rename: no file of it exists and nothing records its archive or removal, and the active file
    /// (which the caller is about to seal) begins with exactly its bytes. Null otherwise. Called
    /// under the exclusive append lock.
    /// </summary>
    private string? Interrupted(IReadOnlyList<IndexLine> chain)
    {
        if (chain.LastOrDefault(l => l.Kind == IndexLineKind.Seal) is not { } seal || SealedSegmentIsAccountedFor(files, chain, seal)) return null;
        return FileDigest.ComputePrefix(files.Active, seal.Info!.UncompressedBytes!.Value) == seal.Info.Sha256 ? seal.Archive : null;
    }

    /// <summary>Whether the segment of a seal record is on disk, archived, or recorded as archived, removed or taken over by a later seal.</summary>
    internal static bool SealedSegmentIsAccountedFor(LogFiles files, IReadOnlyList<IndexLine> chain, IndexLine seal)
    {
        var archive = seal.Archive! + ".gz";
        return File.Exists(files.PathOf(seal.Archive!)) || File.Exists(files.PathOf(archive))
               || chain.Any(l => (l.Kind is IndexLineKind.Archive or IndexLineKind.Removal && l.Archive == archive) || l.Supersedes == seal.Archive);
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
    /// Archives every sealed segment whose bytes match its seal record in the chain, and cleans up
    /// after interrupted rotations. A segment the chain does not explain is left as it is (queries
    /// read it, Test-ScoutAuditLog reports it) and passed to <paramref name="unexplained"/> with the
    /// reason. Returns the archives it made.
    /// </summary>
    public IReadOnlyList<ArchiveDescription> ArchiveSealed(Action<string, string> unexplained, CancellationToken cancellation)
    {
        var made = new List<ArchiveDescription>();
        using var rotateLock = CrossProcessLock.Open(files.RotateLock);
        using (rotateLock.Acquire(exclusive: true))
        {
            // Listed under the shared append lock, which a sealer holds exclusive from its rename to
            // its seal record: every segment listed is either recorded or not ScoutAudit's.
            List<RotatedSegment> segments;
            List<IndexLine> chain;
            using (var appendLock = CrossProcessLock.TryOpenExisting(files.AppendLock))
            using (appendLock?.Acquire(exclusive: false))
            {
                segments = RotatedSegments.List(files);
                chain = ArchiveIndex.ReadLines(files).Where(l => l.IsChained).ToList();
            }
            foreach (var segment in segments)
            {
                cancellation.ThrowIfCancellationRequested();
                if (segment.HasTemporary) File.Delete(files.PathOf(segment.TemporaryFile)); // its writer died: we hold the lock
                if (!segment.HasSealed) continue;

                var seal = chain.LastOrDefault(l => l.Kind == IndexLineKind.Seal && l.Archive == segment.SealedFile);
                if (seal is null)
                {
                    unexplained(files.PathOf(segment.SealedFile), "the chain holds no record of its seal: it was not sealed by ScoutAudit (put there, or its sealer crashed before recording it)");
                    continue;
                }
                var archivePath = files.PathOf(segment.ArchiveFile);
                if (segment.HasArchive && chain.Any(l => l.Kind == IndexLineKind.Archive && l.Archive == segment.ArchiveFile))
                {
                    // The archive and its entry were completed before a crash: only the segment is left to delete.
                }
                else
                {
                    // Compressed (again, when a crash came between the archive and its entry), checking the
                    // segment's bytes against its seal record as they are read.
                    if (segment.HasArchive) File.Delete(archivePath);
                    var (info, sealedDigest) = ArchiveWriter.Compress(files.PathOf(segment.SealedFile), archivePath, cancellation);
                    if (sealedDigest != seal.Info!.Sha256 || info.UncompressedBytes != seal.Info.UncompressedBytes)
                    {
                        File.Delete(archivePath);
                        NativeFile.SyncDirectory(files.Directory);
                        unexplained(files.PathOf(segment.SealedFile),
                            $"its bytes are not those recorded when it was sealed (entry {seal.Sequence}: {seal.Info.UncompressedBytes} bytes, SHA-256 {seal.Info.Sha256}; now {info.UncompressedBytes} bytes, SHA-256 {sealedDigest})");
                        continue;
                    }
                    ArchiveIndex.AppendArchive(files, info, options.SigningKey);
                    made.Add(info);
                }
                File.Delete(files.PathOf(segment.SealedFile));
                NativeFile.SyncDirectory(files.Directory);
            }
        }
        return made;
    }
}

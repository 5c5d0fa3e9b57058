namespace ScoutAudit.Core;

/// <summary>
/// Every archive of a log checked as <see cref="LogVerifier"/> checks it: a chained one against its
/// entry (its bytes, or those of another entry when archives were renamed), one outside the chain
/// as the original's (a warning in a log without a chain, or the original's rotation of the active
/// file as last verified) or as put there (an error), and every entry's archive present unless
/// its removal is recorded.
/// </summary>
internal sealed class ArchiveCheck(LogFiles files, ChainCheck chain, Action<IntegrityFinding> report, CancellationToken cancellation)
{
    /// <summary>The archives on disk.</summary>
    public int Archives { get; private set; }

    /// <summary>The archives outside the chain that were not reported as errors.</summary>
    public int Unchained { get; private set; }

    /// <summary>The archives recognised as the original tool's rotations, to record for the next verification.</summary>
    public List<RecognisedArchive> OriginalArchives { get; } = [];

    /// <summary>Whether the original tool archived the active file as the last verification saw it.</summary>
    public bool OriginalRotated { get; private set; }

    /// <summary>The bytes of the archives read.</summary>
    public long BytesRead { get; private set; }

    public void Run(VerifiedState? last)
    {
        var onDisk = RotatedSegments.List(files).Where(s => s.HasArchive).ToList();
        var digests = chain.Chained.Values.Where(l => l.Info!.Sha256 is not null).ToLookup(l => l.Info!.Sha256!, l => l.Archive!);
        foreach (var segment in onDisk)
        {
            cancellation.ThrowIfCancellationRequested();
            Archives++;
            var path = files.PathOf(segment.ArchiveFile);
            if (chain.Removed.TryGetValue(segment.ArchiveFile, out var removal))
                report(new(IntegrityFindingKind.RemovedArchivePresent, IntegritySeverity.Warning, path,
                    $"The chain records this archive as removed{(removal.RemovedAt is { } at ? $" at {UtcTimestamp.Format(at)}" : "")} ({removal.Reason}), yet it is on disk.", Entry: removal.Sequence));
            if (chain.Chained.TryGetValue(segment.ArchiveFile, out var entry)) VerifyChainedArchive(path, entry, digests);
            else VerifyUnchainedArchive(path, last);
        }
        var present = onDisk.Select(s => s.ArchiveFile).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in chain.Chained.Values.Where(e => !present.Contains(e.Archive!) && !chain.Removed.ContainsKey(e.Archive!)))
            report(new(IntegrityFindingKind.ArchiveMissing, IntegritySeverity.Error, entry.Info!.Path,
                $"The archive of entry {entry.Sequence} is gone, and the chain records no removal of it.",
                Expected: $"{entry.Info.CompressedBytes} bytes, SHA-256 {entry.Info.Sha256}", Actual: "no file", Entry: entry.Sequence));
    }

    private void VerifyChainedArchive(string path, IndexLine entry, ILookup<string, string> digests)
    {
        string digest;
        long length;
        try
        {
            (digest, length) = HashFile(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The archive cannot be read: {error.Message}", Entry: entry.Sequence));
            return;
        }
        var expected = entry.Info!;
        if (digest == expected.Sha256 && length == expected.CompressedBytes) return;
        var recordedAs = digests[digest].FirstOrDefault(name => name != entry.Archive);
        report(recordedAs is not null
            ? new(IntegrityFindingKind.ArchiveMisplaced, IntegritySeverity.Error, path,
                $"The archive holds the bytes the chain records for '{recordedAs}': archives were renamed or reordered.",
                Expected: $"SHA-256 {expected.Sha256} (entry {entry.Sequence})", Actual: $"SHA-256 {digest}, the archive recorded as '{recordedAs}'", Entry: entry.Sequence)
            : new(IntegrityFindingKind.ArchiveModified, IntegritySeverity.Error, path,
                length == expected.CompressedBytes
                    ? "The archive's bytes differ from those recorded in the chain: it was edited or replaced."
                    : $"The archive is {(length < expected.CompressedBytes ? "shorter" : "longer")} than recorded in the chain: it was {(length < expected.CompressedBytes ? "truncated" : "appended to or replaced")}.",
                Expected: $"{expected.CompressedBytes} bytes, SHA-256 {expected.Sha256}", Actual: $"{length} bytes, SHA-256 {digest}", Entry: entry.Sequence));
    }

    /// <summary>
    /// An archive outside the chain. In a log without a chain (the original's alone) it is what the
    /// original makes: a warning. Once a chain exists it is an error, whatever its name says, unless
    /// it is the original's rotation of the active file that was verified: its bytes begin with
    /// exactly what the last verification saw in the active file (or an earlier verification
    /// recognised it so).
    /// </summary>
    private void VerifyUnchainedArchive(string path, VerifiedState? last)
    {
        var name = Path.GetFileName(path);
        string? prefix;
        string digest;
        try
        {
            BytesRead += GzipIntegrity.Check(path, last?.ActivePrefix is null ? null : last.ActiveLength, out prefix, cancellation);
            (digest, _) = FileDigest.Compute(path);
        }
        catch (InvalidDataException error) when (ArchiveBounds.SuspicionIn(error) is { } suspicion)
        {
            // An error whether or not the log has a chain: queries do not return what it holds past the bound.
            report(new(IntegrityFindingKind.ArchiveSuspicious, IntegritySeverity.Error, path,
                $"The archive is suspicious (a decompression bomb): {suspicion.Reason}. Queries stop reading it there and return none of its events from there on, " +
                "and this verification read no further. If you know where it comes from, check its events elsewhere and move it away from the log.",
                Expected: $"at most {suspicion.Limit} bytes decompressed ({ArchiveBounds.MaxRatio} times its size)",
                Actual: suspicion.Produced is { } produced ? $"more than {produced - 1} bytes" : "not read"));
            return;
        }
        catch (InvalidDataException error)
        {
            report(new(IntegrityFindingKind.ArchiveDamaged, IntegritySeverity.Error, path, $"The archive is not a whole gzip stream: {error.Message}"));
            return;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The archive cannot be read: {error.Message}"));
            return;
        }
        var rotatedVerifiedFile = last is { ActivePrefix: not null, ActiveLength: > 0 } && prefix == last.ActivePrefix;
        if (rotatedVerifiedFile) OriginalRotated = true;
        if (rotatedVerifiedFile || last?.RecognisesArchive(name, digest) == true) OriginalArchives.Add(new RecognisedArchive(name, digest));
        else if (chain.Head is not null)
        {
            report(new(IntegrityFindingKind.ArchiveNotInChain, IntegritySeverity.Error, path,
                "The archive has no entry in the chain, and it is not the original tool's rotation of the active file as last verified: its entry was removed, or the file was put there. " +
                "If you know where it comes from, check its events and add it with Test-ScoutAuditLog -Adopt."));
            return;
        }
        Unchained++;
        report(new(IntegrityFindingKind.ArchiveUnchained, IntegritySeverity.Warning, path,
            rotatedVerifiedFile || OriginalArchives.Count > 0 && OriginalArchives[^1].Archive == name
                ? "Unchained: the original tool archived the active file as it was verified, and went on in a new one; nothing vouches for what it added after the verification. Test-ScoutAuditLog -Adopt adds it to the chain."
                : "Unchained: the log has no chain, and the archive reads as a whole, but nothing vouches for its bytes (made by the original tool, or before ScoutAudit chained its index). Test-ScoutAuditLog -Adopt starts a chain over it."));
    }

    private (string Digest, long Length) HashFile(string path)
    {
        var hashed = FileDigest.Compute(path);
        BytesRead += hashed.Length;
        return hashed;
    }
}

namespace ScoutAudit.Core;

/// <summary>
/// Verifies a log as an auditor would: the archive index's chain (each entry follows the one
/// before it; signatures when a public key is given), every archive against its entry, archives
/// with no entry and entries with no archive, and every line of the sealed segments and the active
/// file. Each problem is reported as one <see cref="IntegrityFinding"/> as it is found; nothing is
/// changed but the record of this verification (<see cref="VerifiedState"/>).
/// </summary>
internal sealed class LogVerifier(LogFiles files, ChainKey? publicKey, Action<IntegrityFinding> report, CancellationToken cancellation)
{
    /// <summary>Damaged lines reported one by one per file; the rest are counted in one finding.</summary>
    private const int LinesReportedPerFile = 20;

    private readonly Dictionary<string, IndexLine> _chained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexLine> _removed = new(StringComparer.Ordinal);
    private IndexLine? _head;
    private ArchiveName? _chainStart;
    private int _archives, _signed, _signaturesChecked, _unchained, _errors, _warnings;
    private long _bytesRead;

    public LogVerificationSummary Verify(bool record)
    {
        var last = VerifiedState.Read(files.Verified);
        VerifyChain(last);
        VerifyArchives();
        new SidecarCheck(files, Report, cancellation).Run();
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasSealed))
            VerifyLines(files.PathOf(segment.SealedFile), isActive: false, last: null);
        var activeState = VerifyLines(files.Active, isActive: true, last);
        if (_errors == 0 && record)
        {
            var verified = (activeState ?? new VerifiedState(null, null, 0, null, null, "")) with
            {
                ChainSequence = _head?.Sequence,
                ChainHead = _head?.Digest,
                At = UtcTimestamp.Format(DateTimeOffset.UtcNow),
            };
            verified.TryWrite(files.Verified);
        }
        return new LogVerificationSummary(files.Active, _archives, _chained.Count, _signed, _signaturesChecked, _unchained, _removed.Count,
            _errors, _warnings, _bytesRead);
    }

    private void Report(IntegrityFinding finding)
    {
        if (finding.Severity == IntegritySeverity.Error) _errors++;
        else _warnings++;
        report(finding);
    }

    private void VerifyChain(VerifiedState? last)
    {
        List<IndexLine> lines;
        try
        {
            lines = File.Exists(files.Index) ? IndexLine.ParseAll(File.ReadAllBytes(files.Index), files) : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, files.Index, $"The archive index cannot be read: {error.Message}"));
            return;
        }
        IndexLine? previous = null;
        foreach (var line in lines)
        {
            if (line.Kind == IndexLineKind.Damaged)
            {
                Report(new(IntegrityFindingKind.IndexLineDamaged, IntegritySeverity.Warning, files.Index,
                    $"Line {line.Number} of the archive index is not an entry (a write torn by a crash, or an edit); the chain is checked without it.",
                    Line: line.Number));
                continue;
            }
            if (!line.IsChained) continue;
            var expectedSequence = previous is null ? 0 : previous.Sequence + 1;
            if (line.Sequence != expectedSequence || line.Previous != previous?.Digest)
                Report(new(IntegrityFindingKind.ChainBroken, IntegritySeverity.Error, files.Index,
                    $"Entry {line.Sequence} (line {line.Number}) does not follow the entry before it: an entry was removed, inserted, reordered or edited.",
                    Expected: $"entry {expectedSequence} after {previous?.Digest ?? "the start of the chain"}",
                    Actual: $"entry {line.Sequence} after {line.Previous ?? "the start of the chain"}",
                    Entry: line.Sequence, Line: line.Number));
            CheckSignature(line);
            var name = line.Archive!;
            if (line.Kind == IndexLineKind.Archive)
            {
                if (_chained.ContainsKey(name))
                    Report(new(IntegrityFindingKind.EntryRepeated, IntegritySeverity.Error, files.Index,
                        $"Entry {line.Sequence} (line {line.Number}) records the archive '{name}' a second time.", Entry: line.Sequence, Line: line.Number));
                else _chained[name] = line;
                if (_chainStart is null && ArchiveName.TryParse(name, files.Stem, out var start, out _)) _chainStart = start;
            }
            else
            {
                _removed[name] = line;
                if (_chained.TryGetValue(name, out var entry) && entry.Info!.Sha256 != line.Info!.Sha256)
                    Report(new(IntegrityFindingKind.ArchiveModified, IntegritySeverity.Error, line.Info.Path,
                        $"The archive was altered before it was removed (entry {line.Sequence} records its removal, {line.RemovedAt}).",
                        Expected: $"SHA-256 {entry.Info.Sha256} (entry {entry.Sequence})", Actual: $"SHA-256 {line.Info.Sha256} when removed",
                        Entry: line.Sequence, Line: line.Number));
            }
            previous = line;
        }
        _head = previous;
        CheckAgainstLastVerification(last, lines);
    }

    private void CheckSignature(IndexLine line)
    {
        if (line.Signature is not null) _signed++;
        if (publicKey is null) return;
        if (line.Signature is null)
        {
            Report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is not signed, and a public key was given: it was written by a process without the signing key, or its signature was stripped.",
                Expected: $"signed with key {publicKey.Id}", Actual: "no signature", Entry: line.Sequence, Line: line.Number));
            return;
        }
        if (line.KeyId != publicKey.Id)
        {
            Report(new(IntegrityFindingKind.SignedByOtherKey, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is signed with another key than the one given.",
                Expected: $"key {publicKey.Id}", Actual: $"key {line.KeyId ?? "(none named)"}", Entry: line.Sequence, Line: line.Number));
            return;
        }
        _signaturesChecked++;
        if (!publicKey.Verify(line.SignedBytes(), line.Signature))
            Report(new(IntegrityFindingKind.SignatureInvalid, IntegritySeverity.Error, files.Index,
                $"The signature of entry {line.Sequence} (line {line.Number}) does not match it: the entry was altered after it was signed.",
                Expected: $"a signature by key {publicKey.Id} over the entry as it reads", Actual: "a signature over other bytes", Entry: line.Sequence, Line: line.Number));
    }

    private void CheckAgainstLastVerification(VerifiedState? last, List<IndexLine> lines)
    {
        if (last?.ChainSequence is not { } verifiedSequence) return;
        var same = lines.FirstOrDefault(l => l.IsChained && l.Sequence == verifiedSequence);
        if (same is null || same.Digest != last.ChainHead)
            Report(new(IntegrityFindingKind.ChainTruncated, IntegritySeverity.Error, files.Index,
                same is null
                    ? $"The chain ends at entry {_head?.Sequence.ToString() ?? "(none)"}, but reached entry {verifiedSequence} when it was verified at {last.At}: its last entries were removed."
                    : $"Entry {verifiedSequence} is not the one verified at {last.At}: the chain was rewritten from there.",
                Expected: $"entry {verifiedSequence} with digest {last.ChainHead}",
                Actual: same is null ? $"the chain ends at entry {_head?.Sequence.ToString() ?? "(none)"}" : $"digest {same.Digest}",
                Entry: verifiedSequence));
    }

    private void VerifyArchives()
    {
        var onDisk = RotatedSegments.List(files).Where(s => s.HasArchive).ToList();
        var digests = _chained.Values.Where(l => l.Info!.Sha256 is not null).ToLookup(l => l.Info!.Sha256!, l => l.Archive!);
        foreach (var segment in onDisk)
        {
            cancellation.ThrowIfCancellationRequested();
            _archives++;
            var path = files.PathOf(segment.ArchiveFile);
            if (_removed.TryGetValue(segment.ArchiveFile, out var removal))
                Report(new(IntegrityFindingKind.RemovedArchivePresent, IntegritySeverity.Warning, path,
                    $"The chain records this archive as removed ({removal.RemovedAt}, {removal.Reason}), yet it is on disk.", Entry: removal.Sequence));
            if (_chained.TryGetValue(segment.ArchiveFile, out var entry)) VerifyChainedArchive(path, entry, digests);
            else VerifyUnchainedArchive(path, segment.Name);
        }
        var present = onDisk.Select(s => s.ArchiveFile).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in _chained.Values.Where(e => !present.Contains(e.Archive!) && !_removed.ContainsKey(e.Archive!)))
            Report(new(IntegrityFindingKind.ArchiveMissing, IntegritySeverity.Error, entry.Info!.Path,
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
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The archive cannot be read: {error.Message}", Entry: entry.Sequence));
            return;
        }
        var expected = entry.Info!;
        if (digest == expected.Sha256 && length == expected.CompressedBytes) return;
        var recordedAs = digests[digest].FirstOrDefault(name => name != entry.Archive);
        Report(recordedAs is not null
            ? new(IntegrityFindingKind.ArchiveMisplaced, IntegritySeverity.Error, path,
                $"The archive holds the bytes the chain records for '{recordedAs}': archives were renamed or reordered.",
                Expected: $"SHA-256 {expected.Sha256} (entry {entry.Sequence})", Actual: $"SHA-256 {digest}, the archive recorded as '{recordedAs}'", Entry: entry.Sequence)
            : new(IntegrityFindingKind.ArchiveModified, IntegritySeverity.Error, path,
                length == expected.CompressedBytes
                    ? "The archive's bytes differ from those recorded in the chain: it was edited or replaced."
                    : $"The archive is {(length < expected.CompressedBytes ? "shorter" : "longer")} than recorded in the chain: it was {(length < expected.CompressedBytes ? "truncated" : "appended to or replaced")}.",
                Expected: $"{expected.CompressedBytes} bytes, SHA-256 {expected.Sha256}", Actual: $"{length} bytes, SHA-256 {digest}", Entry: entry.Sequence));
    }

    private void VerifyUnchainedArchive(string path, ArchiveName name)
    {
        try
        {
            _bytesRead += GzipIntegrity.Check(path, cancellation);
        }
        catch (InvalidDataException error)
        {
            Report(new(IntegrityFindingKind.ArchiveDamaged, IntegritySeverity.Error, path, $"The archive is not a whole gzip stream: {error.Message}"));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The archive cannot be read: {error.Message}"));
            return;
        }
        if (_chainStart is { } start && name.CompareTo(start) > 0)
        {
            Report(new(IntegrityFindingKind.ArchiveNotInChain, IntegritySeverity.Error, path,
                "The archive is newer than the start of the chain but has no entry in it: its entry was removed, or the archive was put there (by the original tool, or by hand)."));
            return;
        }
        _unchained++;
        Report(new(IntegrityFindingKind.ArchiveUnchained, IntegritySeverity.Warning, path,
            "Unchained: the archive predates the chain (made by the original tool or before ScoutAudit chained its index); it reads as a whole, but nothing vouches for its bytes. Test-ScoutAuditLog -Adopt starts a chain over it."));
    }

    /// <summary>Checks every line of the active file or a sealed segment; returns what a later verification compares the active file with.</summary>
    private VerifiedState? VerifyLines(string path, bool isActive, VerifiedState? last)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The file cannot be read: {error.Message}"));
            return null;
        }
        using (file)
        {
            var length = file.Length;
            if (isActive && last is not null && length < last.ActiveLength && last.IsAbout(file.SafeFileHandle))
                Report(new(IntegrityFindingKind.FileShrunk, IntegritySeverity.Error, path,
                    $"The active file is shorter than when it was verified at {last.At}: lines were removed from it.",
                    Expected: $"at least {last.ActiveLength} bytes", Actual: $"{length} bytes"));
            var reader = new LineReader(new FileRangeStream(file.SafeFileHandle, 0, length));
            var damaged = 0;
            while (true)
            {
                var status = reader.Next(out var line);
                if (status == LineStatus.End) break;
                if (reader.LineNumber % 4096 == 0) cancellation.ThrowIfCancellationRequested();
                // The active file's last line, unterminated, is a write in progress or a tail the next writer repairs.
                if (status == LineStatus.Unterminated && isActive) break;
                if (status != LineStatus.TooLong && (line.Trim(" \t\r"u8).IsEmpty || IsEvent(line))) continue;
                var torn = status != LineStatus.TooLong && line.Length > 0 && line[0] == (byte)'{' && line[^1] != (byte)'}';
                if (++damaged <= LinesReportedPerFile)
                    Report(torn
                        ? new(IntegrityFindingKind.TornLine, IntegritySeverity.Warning, path,
                            $"Line {reader.LineNumber} was cut short by a crash and ended by the next write: that event is lost, nothing was altered.", Line: reader.LineNumber)
                        : new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                            $"Line {reader.LineNumber} is not an event{(status == LineStatus.TooLong ? " (longer than 8 MiB)" : "")}.", Line: reader.LineNumber));
            }
            if (damaged > LinesReportedPerFile)
                Report(new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                    $"{damaged - LinesReportedPerFile} more lines are not events (only the first {LinesReportedPerFile} are reported one by one)."));
            _bytesRead += length;
            return isActive ? VerifiedState.Of(file.SafeFileHandle, length) : null;
        }
    }

    /// <summary>
    /// What a query reads as an event: a line with the original's header only needs to be one JSON
    /// object (as the scans check it, building nothing); any other line is parsed in full.
    /// </summary>
    private static bool IsEvent(ReadOnlySpan<byte> line) =>
        (LineHeader.TryRead(line, out _, out _) && AuditLineParser.IsWellFormed(line, out _, out var headerRepeated) && !headerRepeated)
        || AuditLineParser.TryParse(line, out _, out _);

    private (string Digest, long Length) HashFile(string path)
    {
        var hashed = FileDigest.Compute(path);
        _bytesRead += hashed.Length;
        return hashed;
    }
}

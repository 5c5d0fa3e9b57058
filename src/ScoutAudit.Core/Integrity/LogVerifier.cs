namespace ScoutAudit.Core;

/// <summary>
/// Verifies a log as an auditor would, against a tamperer who can write its directory but has not
/// the signing key: the archive index's chain (each entry in its one canonical form, following the
/// one before it; signatures when a public key is given, and an unsigned entry after a signed one
/// always), every archive against its entry, archives and sealed segments the chain does not
/// explain, the active file against what the last verification saw, and every line. Each problem
/// is reported as one <see cref="IntegrityFinding"/> as it is found; nothing is changed but the
/// record of this verification (<see cref="VerifiedState"/>, at <paramref name="state"/>: beside the
/// log, where the auditor said, in the caller's cache, or nowhere).
/// </summary>
internal sealed class LogVerifier(LogFiles files, StateLocation state, ChainKey? publicKey, Action<IntegrityFinding> report, CancellationToken cancellation)
{
    /// <summary>Damaged lines reported one by one per file; the rest are counted in one finding.</summary>
    private const int LinesReportedPerFile = 20;

    private readonly Dictionary<string, IndexLine> _chained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexLine> _removed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexLine> _seals = new(StringComparer.Ordinal);
    private readonly List<RecognisedArchive> _originalArchives = [];
    private readonly List<IndexLine> _chain = [];
    private IndexLine? _head, _lastSigned;
    private bool _originalRotated, _stateDamaged;
    private int _archives, _signed, _signaturesChecked, _unchained, _errors, _warnings;
    private long _bytesRead;

    public LogVerificationSummary Verify(bool record)
    {
        var last = ReadLastState();
        VerifyChain(last);
        VerifyArchives(last);
        new SidecarCheck(files, Report, cancellation).Run();
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasSealed))
            VerifySealedSegment(files.PathOf(segment.SealedFile));
        VerifySealsAccountedFor();
        var activeState = VerifyActive(last);
        if (_signed > 0 && publicKey is null)
            Report(new(IntegrityFindingKind.SignaturesNotChecked, IntegritySeverity.Warning, files.Index,
                $"{_signed} entries of the chain are signed (key {_lastSigned!.KeyId}), and no public key was given: their signatures were not checked, so the chain vouches only against accidents. Give -PublicKey to check them."));
        if (_errors == 0 && record)
        {
            var verified = (activeState ?? new VerifiedState(null, null, 0, null, null, "")) with
            {
                ChainSequence = _head?.Sequence,
                ChainHead = _head?.Digest,
                At = UtcTimestamp.Format(DateTimeOffset.UtcNow),
                SignedBy = _lastSigned?.KeyId,
                OriginalArchives = _originalArchives,
            };
            if (state.Path is { } path) verified.TryWrite(path);
        }
        return new LogVerificationSummary(files.Active, _archives, _chained.Count, _signed, _signaturesChecked, _unchained, _removed.Count,
            _errors, _warnings, _bytesRead);
    }

    /// <summary>
    /// What the last verification saw, from where this one keeps its state. A state beside the log
    /// is taken only when it is the caller's alone to write (<see cref="SidecarTrust"/>): it is not
    /// signed, and one forged by whoever can write the log's directory would not only raise false
    /// findings but turn an archive put outside the chain into a recognised rotation of the
    /// original (a warning, not an error). Where the log's directory is another user's, the state
    /// lives in the caller's cache; the one beside the log is still read when the cache holds none,
    /// so that a state this caller kept there before (earlier versions did) is not lost, under the
    /// same rule: the log's owner cannot hand the caller a state.
    /// </summary>
    private VerifiedState? ReadLastState()
    {
        var last = state.Path is { } path ? Read(path, callersAloneOnly: state.Place == StatePlace.BesideLog, quiet: false) : null;
        // The owner's own state beside their log is expected there, and not the caller's: passed over without a word.
        if (last is null && !_stateDamaged && state.Place is StatePlace.CallersCache or StatePlace.NotKept)
            last = Read(files.Verified, callersAloneOnly: true, quiet: true);
        return last;
    }

    private VerifiedState? Read(string path, bool callersAloneOnly, bool quiet)
    {
        var last = VerifiedState.Read(path, out var damaged, callersAloneOnly, out var ignored);
        if (damaged)
        {
            _stateDamaged = true;
            Report(new(IntegrityFindingKind.VerificationStateDamaged, IntegritySeverity.Warning, path,
                "The record of the last verification is not one this module wrote (edited or replaced): this verification cannot compare the log with it."));
        }
        if (ignored && !quiet)
            Report(new(IntegrityFindingKind.VerificationStateNotTrusted, IntegritySeverity.Warning, path,
                "The record of the last verification beside the log is not yours alone to write (another user owns it, or others may write it): it is not compared with, since whoever wrote it could have forged it. " +
                "Keep the state where only you can write (-StatePath)."));
        return last;
    }

    private void Report(IntegrityFinding finding)
    {
        if (finding.Severity == IntegritySeverity.Error) _errors++;
        else _warnings++;
        report(finding);
    }

    private static string When(VerifiedState state) => state.VerifiedAt is { } at ? UtcTimestamp.Format(at) : "an unknown time";

    private void VerifyChain(VerifiedState? last)
    {
        List<IndexLine> lines;
        try
        {
            lines = SidecarFile.ReadAll(files.Index, SidecarFile.IndexLimit) is { } index ? IndexLine.ParseAll(index, files) : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, files.Index, $"The archive index cannot be read: {error.Message}"));
            return;
        }
        IndexLine? previous = null;
        var sealing = false; // once the chain records seals, every archive it chains must have been sealed first
        foreach (var line in lines)
        {
            if (line.Kind == IndexLineKind.Damaged)
            {
                Report(new(IntegrityFindingKind.IndexLineDamaged, IntegritySeverity.Warning, files.Index,
                    $"Line {line.Number} of the archive index is not an entry in the form this module writes (a write torn by a crash, or an edit: a member added, repeated or changed); nothing is taken from it.",
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
            _chain.Add(line);
            var name = line.Archive!;
            switch (line.Kind)
            {
                case IndexLineKind.Seal:
                    sealing = true;
                    _seals[name] = line;
                    break;
                case IndexLineKind.Archive:
                    if (_chained.ContainsKey(name))
                        Report(new(IntegrityFindingKind.EntryRepeated, IntegritySeverity.Error, files.Index,
                            $"Entry {line.Sequence} (line {line.Number}) records the archive '{name}' a second time.", Entry: line.Sequence, Line: line.Number));
                    else _chained[name] = line;
                    if (sealing && !line.Adopted && !WasSealed(line))
                        Report(new(IntegrityFindingKind.SealMissing, IntegritySeverity.Error, files.Index,
                            $"Entry {line.Sequence} (line {line.Number}) chains the archive '{name}', but no earlier entry records the seal of its segment with its length: it was not made from a segment this module sealed.",
                            Entry: line.Sequence, Line: line.Number));
                    break;
                default:
                    _removed[name] = line;
                    if (_chained.TryGetValue(name, out var entry) && entry.Info!.Sha256 != line.Info!.Sha256)
                        Report(new(IntegrityFindingKind.ArchiveModified, IntegritySeverity.Error, line.Info.Path,
                            $"The archive was altered before it was removed (entry {line.Sequence} records its removal{(line.RemovedAt is { } at ? $" at {UtcTimestamp.Format(at)}" : "")}).",
                            Expected: $"SHA-256 {entry.Info.Sha256} (entry {entry.Sequence})", Actual: $"SHA-256 {line.Info.Sha256} when removed",
                            Entry: line.Sequence, Line: line.Number));
                    break;
            }
            previous = line;
        }
        _head = previous;
        CheckAgainstLastVerification(last, lines);
    }

    private bool WasSealed(IndexLine archive) =>
        _seals.TryGetValue(archive.Archive![..^".gz".Length], out var seal) && seal.Info!.UncompressedBytes == archive.Info!.UncompressedBytes;

    private void CheckSignature(IndexLine line)
    {
        if (line.Signature is not null)
        {
            _signed++;
            _lastSigned = line;
        }
        else if (_lastSigned is not null)
        {
            // Signing is a property of the log: after a signed entry, an unsigned one is a hole whoever lacks the key could use.
            Report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is not signed, but entry {_lastSigned.Sequence} before it is (key {_lastSigned.KeyId}): the entry was added by someone without the key, or its signature was stripped.",
                Expected: $"signed with key {_lastSigned.KeyId}", Actual: "no signature", Entry: line.Sequence, Line: line.Number));
            return;
        }
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
        if (last is null) return;
        if (last.SignedBy is { } key && _lastSigned is null)
            Report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"The chain was signed with key {key} when it was verified at {When(last)}, and no entry of it is signed now: its signatures were stripped.",
                Expected: $"entries signed with key {key}", Actual: "no signed entry"));
        if (last.ChainSequence is not { } verifiedSequence) return;
        var same = lines.FirstOrDefault(l => l.IsChained && l.Sequence == verifiedSequence);
        if (same is null || same.Digest != last.ChainHead)
            Report(new(IntegrityFindingKind.ChainTruncated, IntegritySeverity.Error, files.Index,
                same is null
                    ? $"The chain ends at entry {_head?.Sequence.ToString() ?? "(none)"}, but reached entry {verifiedSequence} when it was verified at {When(last)}: its last entries were removed."
                    : $"Entry {verifiedSequence} is not the one verified at {When(last)}: the chain was rewritten from there.",
                Expected: $"entry {verifiedSequence} with digest {last.ChainHead}",
                Actual: same is null ? $"the chain ends at entry {_head?.Sequence.ToString() ?? "(none)"}" : $"digest {same.Digest}",
                Entry: verifiedSequence));
    }

    private void VerifyArchives(VerifiedState? last)
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
                    $"The chain records this archive as removed{(removal.RemovedAt is { } at ? $" at {UtcTimestamp.Format(at)}" : "")} ({removal.Reason}), yet it is on disk.", Entry: removal.Sequence));
            if (_chained.TryGetValue(segment.ArchiveFile, out var entry)) VerifyChainedArchive(path, entry, digests);
            else VerifyUnchainedArchive(path, last);
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
            _bytesRead += GzipIntegrity.Check(path, last?.ActivePrefix is null ? null : last.ActiveLength, out prefix, cancellation);
            (digest, _) = FileDigest.Compute(path);
        }
        catch (InvalidDataException error) when (ArchiveBounds.SuspicionIn(error) is { } suspicion)
        {
            // An error whether or not the log has a chain: queries do not return what it holds past the bound.
            Report(new(IntegrityFindingKind.ArchiveSuspicious, IntegritySeverity.Error, path,
                $"The archive is suspicious (a decompression bomb): {suspicion.Reason}. Queries stop reading it there and return none of its events from there on, " +
                "and this verification read no further. If you know where it comes from, check its events elsewhere and move it away from the log.",
                Expected: $"at most {suspicion.Limit} bytes decompressed ({ArchiveBounds.MaxRatio} times its size)",
                Actual: suspicion.Produced is { } produced ? $"more than {produced - 1} bytes" : "not read"));
            return;
        }
        catch (InvalidDataException error)
        {
            Report(new(IntegrityFindingKind.ArchiveDamaged, IntegritySeverity.Error, path, $"The archive is not a whole gzip stream: {error.Message}"));
            return;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, path, $"The archive cannot be read: {error.Message}"));
            return;
        }
        var rotatedVerifiedFile = last is { ActivePrefix: not null, ActiveLength: > 0 } && prefix == last.ActivePrefix;
        if (rotatedVerifiedFile) _originalRotated = true;
        if (rotatedVerifiedFile || last?.RecognisesArchive(name, digest) == true) _originalArchives.Add(new RecognisedArchive(name, digest));
        else if (_head is not null)
        {
            Report(new(IntegrityFindingKind.ArchiveNotInChain, IntegritySeverity.Error, path,
                "The archive has no entry in the chain, and it is not the original tool's rotation of the active file as last verified: its entry was removed, or the file was put there. " +
                "If you know where it comes from, check its events and add it with Test-ScoutAuditLog -Adopt."));
            return;
        }
        _unchained++;
        Report(new(IntegrityFindingKind.ArchiveUnchained, IntegritySeverity.Warning, path,
            rotatedVerifiedFile || _originalArchives.Count > 0 && _originalArchives[^1].Archive == name
                ? "Unchained: the original tool archived the active file as it was verified, and went on in a new one; nothing vouches for what it added after the verification. Test-ScoutAuditLog -Adopt adds it to the chain."
                : "Unchained: the log has no chain, and the archive reads as a whole, but nothing vouches for its bytes (made by the original tool, or before ScoutAudit chained its index). Test-ScoutAuditLog -Adopt starts a chain over it."));
    }

    /// <summary>
    /// Every seal the chain records must have left its segment somewhere: on disk, archived, recorded
    /// as removed, or taken over by a later seal after a crash. The chain's last seal may also be
    /// one a crash interrupted before its rename, whose bytes still begin the active file.
    /// </summary>
    private void VerifySealsAccountedFor()
    {
        var lastSeal = _chain.LastOrDefault(l => l.Kind == IndexLineKind.Seal);
        foreach (var seal in _chain.Where(l => l.Kind == IndexLineKind.Seal))
        {
            if (LogRotation.SealedSegmentIsAccountedFor(files, _chain, seal)) continue;
            if (seal == lastSeal && FileDigest.ComputePrefix(files.Active, seal.Info!.UncompressedBytes!.Value) == seal.Info.Sha256) continue;
            if (ArchivedByAnotherTool(seal)) continue;
            Report(new(IntegrityFindingKind.ArchiveMissing, IntegritySeverity.Error, seal.Info!.Path,
                $"The segment sealed by entry {seal.Sequence} is gone: it is neither on disk nor archived, and the chain records no removal of it.",
                Expected: $"{seal.Info.UncompressedBytes} bytes, SHA-256 {seal.Info.Sha256}", Actual: "no file", Entry: seal.Sequence));
        }
    }

    /// <summary>
    /// Whether an archive that no seal of the chain made begins with exactly the bytes of
    /// <paramref name="seal"/>: the original tool opened the active file in the moment between the
    /// seal's look for other writers and its rename, so the seal gave the file back to the active name
    /// (<see cref="LogRotation.Seal"/>), and the original then archived it in its own rotation. Its
    /// bytes are there, in that archive, whose own standing (chained, adopted or not) is judged with
    /// the archives. Read only for a seal nothing else accounts for, which is rare.
    /// </summary>
    private bool ArchivedByAnotherTool(IndexLine seal)
    {
        var madeBySeals = _chain.Where(l => l.Kind == IndexLineKind.Seal).Select(l => l.Archive + ".gz").ToHashSet(StringComparer.Ordinal);
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasArchive && !madeBySeals.Contains(s.ArchiveFile)))
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                GzipIntegrity.Check(files.PathOf(segment.ArchiveFile), seal.Info!.UncompressedBytes, out var prefix, cancellation);
                if (prefix == seal.Info.Sha256) return true;
            }
            catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                // Judged with the archives (damaged, suspicious, unreadable); it holds no seal's bytes here.
            }
        }
        return false;
    }

    /// <summary>A sealed segment awaiting its archive: it must be the bytes its seal record holds.</summary>
    private void VerifySealedSegment(string path)
    {
        _seals.TryGetValue(Path.GetFileName(path), out var seal);
        var read = VerifyLines(path, isActive: false, seal?.Info!.UncompressedBytes);
        if (read is not { } file) return;
        if (seal is null)
        {
            Report(new(IntegrityFindingKind.UnknownSegment, IntegritySeverity.Error, path,
                "A sealed segment that the chain holds no seal record of: it was put beside the log (queries read it), or its sealer crashed before recording it. ScoutAudit never archives it; check its events and move it away or keep it as evidence."));
            return;
        }
        if (file.Whole == seal.Info!.Sha256 && file.Length == seal.Info.UncompressedBytes) return;
        Report(new(IntegrityFindingKind.SegmentModified, IntegritySeverity.Error, path,
            file.Prefix == seal.Info.Sha256
                ? $"The segment grew after it was sealed: {file.Length - seal.Info.UncompressedBytes} bytes were appended by a process that kept it open (such as the original tool); ScoutAudit does not archive it as it is."
                : "The segment's bytes are not those recorded when it was sealed: it was edited or replaced.",
            Expected: $"{seal.Info.UncompressedBytes} bytes, SHA-256 {seal.Info.Sha256} (entry {seal.Sequence})", Actual: $"{file.Length} bytes, SHA-256 {file.Whole}",
            Entry: seal.Sequence));
    }

    /// <summary>
    /// The active file: while it begins with the bytes the last verification saw, it only grew. When
    /// it does not, those bytes must have gone somewhere the chain or this verification accounts for:
    /// a seal since (the chain moved on), or an archive the original made of them. Otherwise it was
    /// cut or replaced.
    /// </summary>
    private VerifiedState? VerifyActive(VerifiedState? last)
    {
        var usePrefix = last is { ActivePrefix: not null };
        var sameInode = false;
        var read = VerifyLines(files.Active, isActive: true, usePrefix ? last!.ActiveLength : null, (handle, length) =>
        {
            if (last is null) return;
            sameInode = last.HasInodeOf(handle);
            // A state written before the prefix was kept: the inode or first line says whether it is the same file.
            if (!usePrefix && length < last.ActiveLength && last.IsAbout(handle)) ReportShrunk(last, length);
        });
        if (read is not { } file || last is null || !usePrefix || last.ActiveLength == 0) return read?.State;
        if (file.Prefix == last.ActivePrefix) return file.State;
        var sealedSince = _head?.Sequence != last.ChainSequence || _head?.Digest != last.ChainHead;
        if (_originalRotated || sealedSince) return file.State;
        if (file.Length < last.ActiveLength && sameInode) ReportShrunk(last, file.Length);
        else
            Report(new(IntegrityFindingKind.ActiveFileReplaced, IntegritySeverity.Error, files.Active,
                $"The active file does not begin with the {last.ActiveLength} bytes verified at {When(last)}, and neither a seal since nor an archive of the original holds them: it was edited, cut or replaced (lines removed or changed).",
                Expected: $"the first {last.ActiveLength} bytes with SHA-256 {last.ActivePrefix}", Actual: $"{file.Length} bytes{(file.Prefix is null ? "" : $", the first {last.ActiveLength} with SHA-256 {file.Prefix}")}"));
        return file.State;
    }

    private void ReportShrunk(VerifiedState last, long length) =>
        Report(new(IntegrityFindingKind.FileShrunk, IntegritySeverity.Error, files.Active,
            $"The active file is shorter than when it was verified at {When(last)}: lines were removed from it.",
            Expected: $"at least {last.ActiveLength} bytes", Actual: $"{length} bytes"));

    /// <summary>What reading a whole file gave: its length, the digests of its first bytes and of all of it, and, for the active file, the state to record.</summary>
    private readonly record struct FileRead(long Length, string? Prefix, string Whole, VerifiedState? State);

    /// <summary>Checks every line of the active file or a sealed segment, hashing it on the way; null when it is not there or cannot be read.</summary>
    private FileRead? VerifyLines(string path, bool isActive, long? prefixLength, Action<Microsoft.Win32.SafeHandles.SafeFileHandle, long>? opened = null)
    {
        FileStream file;
        try
        {
            file = FileSafety.OpenExistingRegularForReading(path);
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
            opened?.Invoke(file.SafeFileHandle, length);
            using var hashing = new PrefixDigest(new FileRangeStream(file.SafeFileHandle, 0, length), prefixLength);
            var reader = new LineReader(hashing);
            var damaged = 0;
            long completeLength = 0;
            while (true)
            {
                var status = reader.Next(out var line);
                if (status == LineStatus.End) break;
                if (reader.LineNumber % 4096 == 0) cancellation.ThrowIfCancellationRequested();
                // The active file's last line, unterminated, is a write in progress or a tail the next writer repairs.
                if (status == LineStatus.Unterminated && isActive) break;
                completeLength = reader.Position;
                if (status != LineStatus.TooLong && (LineJudge.IsBlank(line) || IsEvent(line))) continue;
                var torn = status == LineStatus.Line && TornWrite.IsRepaired(line, reader.Position - 1);
                if (++damaged <= LinesReportedPerFile)
                    Report(torn
                        ? new(IntegrityFindingKind.TornLine, IntegritySeverity.Warning, path,
                            $"Line {reader.LineNumber} was cut short by a crash and ended by the next write: that event is lost, nothing was altered.", Line: reader.LineNumber)
                        : new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                            $"Line {reader.LineNumber} is not an event{(status == LineStatus.TooLong ? $" ({LineJudge.TooLong(reader.SkippedLength)})" : "")}: it was possibly altered (a crash tears a line only at the end of a 4 KiB page).", Line: reader.LineNumber));
            }
            if (damaged > LinesReportedPerFile)
                Report(new(IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, path,
                    $"{damaged - LinesReportedPerFile} more lines are not events (only the first {LinesReportedPerFile} are reported one by one)."));
            _bytesRead += length;
            var state = isActive ? VerifiedState.Of(file.SafeFileHandle, completeLength, CompletePrefix(file, completeLength, hashing, length)) : null;
            return new FileRead(length, hashing.Prefix, hashing.Whole(), state);
        }
    }

    /// <summary>The SHA-256 of the file's complete lines: all of it when it ends with a newline, else hashed again up to the last one.</summary>
    private static string CompletePrefix(FileStream file, long completeLength, PrefixDigest whole, long length) =>
        completeLength == length ? whole.Whole() : FileDigest.ComputePrefix(file.SafeFileHandle, completeLength)!;

    /// <summary>
    /// What a query reads as an event: a line with the original's header only needs to be one JSON
    /// object (as the scans check it, building nothing); any other line is parsed in full.
    /// </summary>
    private static bool IsEvent(ReadOnlySpan<byte> line) =>
        LineJudge.IsInOriginalForm(line, out _) || AuditLineParser.TryParse(line, out _, out _);

    private (string Digest, long Length) HashFile(string path)
    {
        var hashed = FileDigest.Compute(path);
        _bytesRead += hashed.Length;
        return hashed;
    }
}

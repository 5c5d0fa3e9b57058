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
    private bool _stateDamaged;
    private int _errors, _warnings;

    // The parts of one verification, made by Verify (they report through Report, which counts).
    private ChainCheck _chain = null!;
    private FileLinesCheck _lines = null!;
    private ArchiveCheck _archives = null!;

    public LogVerificationSummary Verify(bool record)
    {
        var last = ReadLastState();
        _chain = new ChainCheck(files, publicKey, Report);
        _chain.Run(last);
        _lines = new FileLinesCheck(Report, cancellation);
        _archives = new ArchiveCheck(files, _chain, Report, cancellation);
        _archives.Run(last);
        new SidecarCheck(files, Report, cancellation).Run();
        foreach (var segment in RotatedSegments.List(files).Where(s => s.HasSealed))
            VerifySealedSegment(files.PathOf(segment.SealedFile));
        VerifySealsAccountedFor();
        var activeState = VerifyActive(last);
        if (_chain.Signed > 0 && publicKey is null)
            Report(new(IntegrityFindingKind.SignaturesNotChecked, IntegritySeverity.Warning, files.Index,
                $"{_chain.Signed} entries of the chain are signed (key {_chain.LastSigned!.KeyId}), and no public key was given: their signatures were not checked, so the chain vouches only against accidents. Give -PublicKey to check them."));
        if (_errors == 0 && record)
        {
            var verified = (activeState ?? new VerifiedState(null, null, 0, null, null, "")) with
            {
                ChainSequence = _chain.Head?.Sequence,
                ChainHead = _chain.Head?.Digest,
                At = UtcTimestamp.Format(DateTimeOffset.UtcNow),
                SignedBy = _chain.LastSigned?.KeyId,
                OriginalArchives = _archives.OriginalArchives,
            };
            if (state.Path is { } path) verified.TryWrite(path);
        }
        return new LogVerificationSummary(files.Active, _archives.Archives, _chain.Chained.Count, _chain.Signed, _chain.SignaturesChecked, _archives.Unchained, _chain.Removed.Count,
            _errors, _warnings, _archives.BytesRead + _lines.BytesRead);
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

    internal static string When(VerifiedState state) => state.VerifiedAt is { } at ? UtcTimestamp.Format(at) : "an unknown time";

    /// <summary>
    /// Every seal the chain records must have left its segment somewhere: on disk, archived, recorded
    /// as removed, or taken over by a later seal after a crash. The chain's last seal may also be
    /// one a crash interrupted before its rename, whose bytes still begin the active file.
    /// </summary>
    private void VerifySealsAccountedFor()
    {
        var lastSeal = _chain.Chain.LastOrDefault(l => l.Kind == IndexLineKind.Seal);
        foreach (var seal in _chain.Chain.Where(l => l.Kind == IndexLineKind.Seal))
        {
            if (LogRotation.SealedSegmentIsAccountedFor(files, _chain.Chain, seal)) continue;
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
        var madeBySeals = _chain.Chain.Where(l => l.Kind == IndexLineKind.Seal).Select(l => l.Archive + ".gz").ToHashSet(StringComparer.Ordinal);
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
        _chain.Seals.TryGetValue(Path.GetFileName(path), out var seal);
        var read = _lines.Check(path, isActive: false, seal?.Info!.UncompressedBytes);
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
        var read = _lines.Check(files.Active, isActive: true, usePrefix ? last!.ActiveLength : null, (handle, length) =>
        {
            if (last is null) return;
            sameInode = last.HasInodeOf(handle);
            // A state written before the prefix was kept: the inode or first line says whether it is the same file.
            if (!usePrefix && length < last.ActiveLength && last.IsAbout(handle)) ReportShrunk(last, length);
        });
        if (read is not { } file || last is null || !usePrefix || last.ActiveLength == 0) return read?.State;
        if (file.Prefix == last.ActivePrefix) return file.State;
        var sealedSince = _chain.Head?.Sequence != last.ChainSequence || _chain.Head?.Digest != last.ChainHead;
        if (_archives.OriginalRotated || sealedSince) return file.State;
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
}

namespace ScoutAudit.Core;

/// <summary>
/// The archive index's chain as <see cref="LogVerifier"/> reads it: each entry in its canonical form
/// following the one before it, signatures (an unsigned entry after a signed one always, and every
/// one against a given public key), and the chain against what the last verification saw. What it
/// records (archives chained, removed and sealed; its head and last signature) is what the rest of
/// the verification judges the files by.
/// </summary>
internal sealed class ChainCheck(LogFiles files, ChainKey? publicKey, Action<IntegrityFinding> report)
{
    /// <summary>The chained entries in chain order.</summary>
    public List<IndexLine> Chain { get; } = [];

    /// <summary>The archive entries by archive name.</summary>
    public Dictionary<string, IndexLine> Chained { get; } = new(StringComparer.Ordinal);

    /// <summary>The removal entries by archive name.</summary>
    public Dictionary<string, IndexLine> Removed { get; } = new(StringComparer.Ordinal);

    /// <summary>The seal entries by sealed segment name.</summary>
    public Dictionary<string, IndexLine> Seals { get; } = new(StringComparer.Ordinal);

    /// <summary>The chain's last entry (null without a chain).</summary>
    public IndexLine? Head { get; private set; }

    /// <summary>The last signed entry.</summary>
    public IndexLine? LastSigned { get; private set; }

    public int Signed { get; private set; }

    public int SignaturesChecked { get; private set; }

    public void Run(VerifiedState? last)
    {
        List<IndexLine> lines;
        try
        {
            lines = SidecarFile.ReadAll(files.Index, SidecarFile.IndexLimit) is { } index ? IndexLine.ParseAll(index, files) : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            report(new(IntegrityFindingKind.FileUnreadable, IntegritySeverity.Error, files.Index, $"The archive index cannot be read: {error.Message}"));
            return;
        }
        IndexLine? previous = null;
        var sealing = false; // once the chain records seals, every archive it chains must have been sealed first
        foreach (var line in lines)
        {
            if (line.Kind == IndexLineKind.Damaged)
            {
                report(new(IntegrityFindingKind.IndexLineDamaged, IntegritySeverity.Warning, files.Index,
                    $"Line {line.Number} of the archive index is not an entry in the form this module writes (a write torn by a crash, or an edit: a member added, repeated or changed); nothing is taken from it.",
                    Line: line.Number));
                continue;
            }
            if (!line.IsChained) continue;
            var expectedSequence = previous is null ? 0 : previous.Sequence + 1;
            if (line.Sequence != expectedSequence || line.Previous != previous?.Digest)
                report(new(IntegrityFindingKind.ChainBroken, IntegritySeverity.Error, files.Index,
                    $"Entry {line.Sequence} (line {line.Number}) does not follow the entry before it: an entry was removed, inserted, reordered or edited.",
                    Expected: $"entry {expectedSequence} after {previous?.Digest ?? "the start of the chain"}",
                    Actual: $"entry {line.Sequence} after {line.Previous ?? "the start of the chain"}",
                    Entry: line.Sequence, Line: line.Number));
            CheckSignature(line);
            Chain.Add(line);
            var name = line.Archive!;
            switch (line.Kind)
            {
                case IndexLineKind.Seal:
                    sealing = true;
                    Seals[name] = line;
                    break;
                case IndexLineKind.Archive:
                    if (Chained.ContainsKey(name))
                        report(new(IntegrityFindingKind.EntryRepeated, IntegritySeverity.Error, files.Index,
                            $"Entry {line.Sequence} (line {line.Number}) records the archive '{name}' a second time.", Entry: line.Sequence, Line: line.Number));
                    else Chained[name] = line;
                    if (sealing && !line.Adopted && !WasSealed(line))
                        report(new(IntegrityFindingKind.SealMissing, IntegritySeverity.Error, files.Index,
                            $"Entry {line.Sequence} (line {line.Number}) chains the archive '{name}', but no earlier entry records the seal of its segment with its length: it was not made from a segment this module sealed.",
                            Entry: line.Sequence, Line: line.Number));
                    break;
                default:
                    Removed[name] = line;
                    if (Chained.TryGetValue(name, out var entry) && entry.Info!.Sha256 != line.Info!.Sha256)
                        report(new(IntegrityFindingKind.ArchiveModified, IntegritySeverity.Error, line.Info.Path,
                            $"The archive was altered before it was removed (entry {line.Sequence} records its removal{(line.RemovedAt is { } at ? $" at {UtcTimestamp.Format(at)}" : "")}).",
                            Expected: $"SHA-256 {entry.Info.Sha256} (entry {entry.Sequence})", Actual: $"SHA-256 {line.Info.Sha256} when removed",
                            Entry: line.Sequence, Line: line.Number));
                    break;
            }
            previous = line;
        }
        Head = previous;
        CheckAgainstLastVerification(last, lines);
    }

    private bool WasSealed(IndexLine archive) =>
        Seals.TryGetValue(archive.Archive![..^".gz".Length], out var seal) && seal.Info!.UncompressedBytes == archive.Info!.UncompressedBytes;

    private void CheckSignature(IndexLine line)
    {
        if (line.Signature is not null)
        {
            Signed++;
            LastSigned = line;
        }
        else if (LastSigned is not null)
        {
            // Signing is a property of the log: after a signed entry, an unsigned one is a hole whoever lacks the key could use.
            report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is not signed, but entry {LastSigned.Sequence} before it is (key {LastSigned.KeyId}): the entry was added by someone without the key, or its signature was stripped.",
                Expected: $"signed with key {LastSigned.KeyId}", Actual: "no signature", Entry: line.Sequence, Line: line.Number));
            return;
        }
        if (publicKey is null) return;
        if (line.Signature is null)
        {
            report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is not signed, and a public key was given: it was written by a process without the signing key, or its signature was stripped.",
                Expected: $"signed with key {publicKey.Id}", Actual: "no signature", Entry: line.Sequence, Line: line.Number));
            return;
        }
        if (line.KeyId != publicKey.Id)
        {
            report(new(IntegrityFindingKind.SignedByOtherKey, IntegritySeverity.Error, files.Index,
                $"Entry {line.Sequence} (line {line.Number}) is signed with another key than the one given.",
                Expected: $"key {publicKey.Id}", Actual: $"key {line.KeyId ?? "(none named)"}", Entry: line.Sequence, Line: line.Number));
            return;
        }
        SignaturesChecked++;
        if (!publicKey.Verify(line.SignedBytes(), line.Signature))
            report(new(IntegrityFindingKind.SignatureInvalid, IntegritySeverity.Error, files.Index,
                $"The signature of entry {line.Sequence} (line {line.Number}) does not match it: the entry was altered after it was signed.",
                Expected: $"a signature by key {publicKey.Id} over the entry as it reads", Actual: "a signature over other bytes", Entry: line.Sequence, Line: line.Number));
    }

    private void CheckAgainstLastVerification(VerifiedState? last, List<IndexLine> lines)
    {
        if (last is null) return;
        if (last.SignedBy is { } key && LastSigned is null)
            report(new(IntegrityFindingKind.SignatureMissing, IntegritySeverity.Error, files.Index,
                $"The chain was signed with key {key} when it was verified at {LogVerifier.When(last)}, and no entry of it is signed now: its signatures were stripped.",
                Expected: $"entries signed with key {key}", Actual: "no signed entry"));
        if (last.ChainSequence is not { } verifiedSequence) return;
        var same = lines.FirstOrDefault(l => l.IsChained && l.Sequence == verifiedSequence);
        if (same is null || same.Digest != last.ChainHead)
            report(new(IntegrityFindingKind.ChainTruncated, IntegritySeverity.Error, files.Index,
                same is null
                    ? $"The chain ends at entry {Head?.Sequence.ToString() ?? "(none)"}, but reached entry {verifiedSequence} when it was verified at {LogVerifier.When(last)}: its last entries were removed."
                    : $"Entry {verifiedSequence} is not the one verified at {LogVerifier.When(last)}: the chain was rewritten from there.",
                Expected: $"entry {verifiedSequence} with digest {last.ChainHead}",
                Actual: same is null ? $"the chain ends at entry {Head?.Sequence.ToString() ?? "(none)"}" : $"digest {same.Digest}",
                Entry: verifiedSequence));
    }
}

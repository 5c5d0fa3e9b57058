namespace ScoutAudit.Core;

/// <summary>What <see cref="LogVerifier"/> found wrong with one file or index entry.</summary>
public enum IntegrityFindingKind
{
    /// <summary>An archive's bytes differ from its chained entry (edited, truncated, replaced).</summary>
    ArchiveModified,

    /// <summary>An archive holds the bytes the chain records for another archive: names swapped or reordered.</summary>
    ArchiveMisplaced,

    /// <summary>The chain records an archive that is gone, with no record of its removal.</summary>
    ArchiveMissing,

    /// <summary>An archive newer than the chain's start has no entry in the chain (an entry removed, or an archive put there).</summary>
    ArchiveNotInChain,

    /// <summary>An archive older than the chain, or of a log without one (the original's, or written before the chain existed): readable, but nothing vouches for its bytes.</summary>
    ArchiveUnchained,

    /// <summary>An archive that is not a complete gzip stream.</summary>
    ArchiveDamaged,

    /// <summary>A chained entry does not follow the one before it (an entry removed, inserted, reordered or edited).</summary>
    ChainBroken,

    /// <summary>The chain is shorter, or ends differently, than when it was last verified.</summary>
    ChainTruncated,

    /// <summary>A second chained entry for the same archive.</summary>
    EntryRepeated,

    /// <summary>A line of the index that is not an entry (a write torn by a crash, or an edit).</summary>
    IndexLineDamaged,

    /// <summary>A chained entry without a signature, while a public key was given.</summary>
    SignatureMissing,

    /// <summary>A chained entry signed with another key than the one given.</summary>
    SignedByOtherKey,

    /// <summary>A chained entry whose signature does not match its bytes: altered after signing.</summary>
    SignatureInvalid,

    /// <summary>A line of the active file or of a sealed segment that is not an event.</summary>
    LineDamaged,

    /// <summary>A line cut short by a crash and ended by the next writer (a repaired torn tail): the event is lost, nothing was altered.</summary>
    TornLine,

    /// <summary>The active file is shorter than when it was last verified.</summary>
    FileShrunk,

    /// <summary>A file of the log that cannot be read.</summary>
    FileUnreadable,

    /// <summary>An archive the chain records as removed is on disk again.</summary>
    RemovedArchivePresent,

    /// <summary>The active file does not begin with the bytes the last verification saw, and no seal or archive of the original holds them: edited, cut or replaced.</summary>
    ActiveFileReplaced,

    /// <summary>A sealed segment the chain holds no seal record of (put beside the log, or its sealer crashed): never archived.</summary>
    UnknownSegment,

    /// <summary>A sealed segment whose bytes are not those its seal record holds: edited, or grown after the seal.</summary>
    SegmentModified,

    /// <summary>A chained archive entry, after the chain began recording seals, with no seal record of its segment.</summary>
    SealMissing,

    /// <summary>The chain is signed and no public key was given: the signatures were not checked.</summary>
    SignaturesNotChecked,

    /// <summary>The record of the last verification is not one this module wrote: the log cannot be compared with it.</summary>
    VerificationStateDamaged,

    /// <summary>
    /// A sidecar (a hint line of the archive index, a block of the active file's time summaries) says
    /// other than the bytes it describes: queries take nothing from a sidecar others could have written,
    /// so answers do not depend on it; it costs only the speed it was meant to give.
    /// </summary>
    SidecarInconsistent,

    /// <summary>
    /// The record of the last verification beside the log is not the caller's alone to write (another
    /// user owns it, or others may write it): it is not compared with, since whoever wrote it could have forged it.
    /// </summary>
    VerificationStateNotTrusted,

    /// <summary>
    /// An archive outside the chain that decompresses past <see cref="ArchiveBounds"/> (more than 768
    /// times its size): a gzip bomb. Queries stop reading it there and return none of its events
    /// after that point.
    /// </summary>
    ArchiveSuspicious,
}

/// <summary>Errors mean the log is not what was written; warnings mean something cannot be vouched for, or was lost without being altered.</summary>
public enum IntegritySeverity
{
    Warning,
    Error,
}

/// <summary>
/// One problem found in a log: its kind, the file, what the chain or the last verification expected
/// and what is there. <paramref name="Entry"/> is the chained entry's sequence number, where one is concerned;
/// <paramref name="Line"/> the line of the index, active file or segment.
/// </summary>
public sealed record IntegrityFinding(
    IntegrityFindingKind Kind,
    IntegritySeverity Severity,
    string Path,
    string Message,
    string? Expected = null,
    string? Actual = null,
    long? Entry = null,
    long? Line = null);

/// <summary>What the chain and the files came to, once every finding was reported.</summary>
public sealed record LogVerificationSummary(
    string Path,
    int Archives,
    int Chained,
    int Signed,
    int SignaturesChecked,
    int Unchained,
    int Removed,
    int Errors,
    int Warnings,
    long BytesRead)
{
    /// <summary>
    /// Failed when any error was found; Unchained when some archive is outside the chain;
    /// SignaturesNotChecked when the chain is signed and no public key was given; else Verified.
    /// </summary>
    public string Status => Errors > 0 ? "Failed" : Unchained > 0 ? "Unchained" : Signed > SignaturesChecked ? "SignaturesNotChecked" : "Verified";
}

namespace ScoutAudit.Core;

/// <summary>What kind of non-fatal problem the engine met.</summary>
public enum AuditDiagnosticKind
{
    /// <summary>A line that is not a valid event was skipped; reading went on.</summary>
    LineSkipped,

    /// <summary>A torn last line (no final newline) was terminated when the log was opened.</summary>
    TornTailRepaired,

    /// <summary>An archive is damaged or truncated: its readable part was read, the rest skipped.</summary>
    ArchiveDamaged,

    /// <summary>A sealed segment or the active file exists but cannot be opened for reading; the query went on without it.</summary>
    FileUnreadable,

    /// <summary>A file of the log was read by a query (verbose detail).</summary>
    SegmentRead,

    /// <summary>The archive index showed an archive to lie outside the query's time range; it was not read (verbose detail).</summary>
    ArchiveSkipped,

    /// <summary>A rotation failed; no event was lost, and the active file goes on growing until a rotation succeeds.</summary>
    RotationFailed,

    /// <summary>
    /// An event was read with fields whose values they cannot hold (see <see cref="InvalidField"/>): kept
    /// as raw JSON text, left out of sums. <see cref="AuditDiagnostic.Fields"/> names them. One per event.
    /// </summary>
    FieldsInvalid,

    /// <summary>
    /// An event was read from a line with more extra fields than an event may have
    /// (<see cref="EventFieldRules.MaxExtraFields"/>): its standard fields were read, its extra fields were
    /// not (<see cref="LogEvent.OmittedExtraFields"/> says how many the line has; the line on disk is
    /// unchanged). Reading it cost a scan of its bytes, not one property per field. One per event.
    /// </summary>
    ExtraFieldsOmitted,

    /// <summary>An event with a negative cost was read by an aggregate: summed as the original sums it. One per event.</summary>
    NegativeCost,

    /// <summary>
    /// A query asked for the events after an id at or past the end of the log: none can come. An id
    /// kept from before the log was deleted and begun again names nothing in it.
    /// </summary>
    AfterPastEnd,

    /// <summary>
    /// A query read a sealed segment that the log's chain holds no seal record of (a file put beside
    /// the log, or one whose sealer crashed): its events are in the answer, and nothing vouches for them.
    /// </summary>
    SegmentUnexplained,

    /// <summary>
    /// Lines a writer appended to the active file after another tool read it for its rotation and
    /// before it deleted it were carried into the new active file (<see cref="StrandedLines"/>).
    /// </summary>
    LinesCarried,

    /// <summary>A sync of unsynced lines failed (the background timer, or a cadence sync); the lines are written but may not be durable.</summary>
    SyncFailed,

    /// <summary>
    /// The log's directory, or the lock files in it, were deleted while this writer held the log: the
    /// writer made them again (the directory owner-only, as for a new log) and writes the log anew.
    /// The log's earlier files went with the directory.
    /// </summary>
    LogFilesDeleted,

    /// <summary>
    /// A sidecar of the log (the archive index, <c>.blocks</c>) was not read: it is a symbolic link, a
    /// FIFO or device, or longer than such a file may be (<see cref="UnsafeFileException"/>). The query
    /// reads the log's files whole instead; its answer is the same.
    /// </summary>
    SidecarRefused,

    /// <summary>
    /// The log's directory may be changed by another user (<see cref="FileSafety.WhyShared"/>): a query
    /// reads it with that said, a writer writes there only when allowed to (AllowSharedDirectory).
    /// </summary>
    SharedDirectory,

    /// <summary>The active file may be read by group or others (the original creates it so under umask 022): said once per writer.</summary>
    LogReadableByOthers,

    /// <summary>
    /// An archive decompresses past <see cref="ArchiveBounds"/> (more than 768 times its size, or more
    /// than its index entry records): a gzip bomb, or not the archive the index describes. Its read
    /// stopped there, and the query went on with the other files; the process remembers it, so later
    /// reads report it without decompressing it again.
    /// </summary>
    ArchiveSuspicious,
}

/// <summary>A non-fatal problem, for the host to show as a warning or verbose message.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Path">The file concerned.</param>
/// <param name="Message">A sentence for people.</param>
/// <param name="LineNumber">The 1-based line number, when a line is concerned.</param>
/// <param name="Exception">The underlying error, if any.</param>
/// <param name="Fields">The fields concerned, by name, when the report is about fields of a line.</param>
public sealed record AuditDiagnostic(
    AuditDiagnosticKind Kind, string Path, string Message, long? LineNumber = null, Exception? Exception = null, IReadOnlyList<string>? Fields = null)
{
    /// <summary>
    /// True for something wrong (a warning for people); false for a detail of what the engine did
    /// (which files a query read or skipped), worth a verbose message at most.
    /// </summary>
    public bool IsProblem => Kind is not (AuditDiagnosticKind.SegmentRead or AuditDiagnosticKind.ArchiveSkipped);
}

/// <summary>
/// Receives the engine's non-fatal problems. Called on the thread that met the problem, which
/// may be a timer thread: implementations must be thread-safe and must not throw.
/// </summary>
public interface IAuditDiagnostics
{
    void Report(AuditDiagnostic diagnostic);
}

/// <summary>Drops every report.</summary>
public sealed class NullAuditDiagnostics : IAuditDiagnostics
{
    public static NullAuditDiagnostics Instance { get; } = new();

    public void Report(AuditDiagnostic diagnostic)
    {
    }
}

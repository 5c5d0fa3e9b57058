namespace ScoutAudit.Core;

/// <summary>How a log is written and who hears of its problems.</summary>
public sealed record AuditLogOptions
{
    /// <summary>The original's rotation size: 10 MiB.</summary>
    public const long DefaultRotationSize = 10 * 1024 * 1024;

    private readonly long? _rotationSize = DefaultRotationSize;

    public static AuditLogOptions Default { get; } = new();

    /// <summary>
    /// The active file is sealed and archived once it holds this many bytes (at least 1);
    /// null never rotates by size (<see cref="AuditLog.Rotate(CancellationToken)"/> still does).
    /// </summary>
    public long? RotationSize
    {
        get => _rotationSize;
        init => _rotationSize = value is < 1
            ? throw new ArgumentOutOfRangeException(nameof(RotationSize), value, $"The rotation size must be at least 1 byte, or none; got {value}.")
            : value;
    }

    /// <summary>
    /// The active file is also sealed at the first write, or by the writer's timer, after each UTC
    /// hour or day boundary (<see cref="Core.RotationInterval"/>); None rotates by size only.
    /// </summary>
    public RotationInterval RotationInterval { get; init; } = RotationInterval.None;

    public SyncPolicy SyncPolicy { get; init; } = SyncPolicy.Default;

    /// <summary>
    /// Secrets in an event's config snapshot and extra fields (passwords, api keys, bearer tokens...)
    /// are replaced with <see cref="SecretRedactor.Marker"/> before the event is written (see
    /// <see cref="SecretRedactor"/>). True by default; <see cref="AuditLog.Append(LogEvent, bool)"/>
    /// decides per event.
    /// </summary>
    public bool RedactSecrets { get; init; } = true;

    /// <summary>
    /// Signs the archive index's entry of each archive this log makes (see <see cref="ChainKey"/>);
    /// null chains the entries without signing them.
    /// </summary>
    public ChainKey? SigningKey { get; init; }

    /// <summary>Archives removed after each rotation, each removal recorded in the chain; null keeps every archive.</summary>
    public ArchiveRetention? Retention { get; init; }

    /// <summary>
    /// Writes in a directory another user may change (<see cref="FileSafety.WhyShared"/>: writable by
    /// a group with other members or by everyone, without the sticky bit, or owned by another user
    /// than root) with a <see cref="AuditDiagnosticKind.SharedDirectory"/> warning. False (the default)
    /// refuses them, as OpenSSH's StrictModes and logrotate refuse such directories: whoever may rename
    /// the log's files may swap them for links or files of their own between two writes.
    /// </summary>
    public bool AllowSharedDirectory { get; init; }

    /// <summary>
    /// How long a writer waits for a lock of the log that someone else holds before the event fails
    /// with a <see cref="LockWaitException"/> naming the holder (30 s by default).
    /// </summary>
    public TimeSpan LockWaitLimit { get; init; } = CrossProcessLock.DefaultWaitLimit;

    /// <summary>Receives skipped lines, repaired tails and failed background syncs.</summary>
    public IAuditDiagnostics Diagnostics { get; init; } = NullAuditDiagnostics.Instance;

    /// <summary>
    /// Counts the bytes and events that queries on this log read (see <see cref="Core.ReadProgress"/>);
    /// null counts nothing. Give each query a log with its own.
    /// </summary>
    public ReadProgress? ReadProgress { get; init; }

    /// <summary>
    /// Which of the log's files (full paths: archives, sealed segments, the active file) queries read;
    /// null reads them all. Reading one archive alone is <c>path =&gt; path == archive</c>. The events
    /// keep the ids they have in the whole log.
    /// </summary>
    public Func<string, bool>? ReadsFile { get; init; }

    /// <summary>
    /// Bytes per block of the active file's time summaries (see <see cref="TimeBlocks"/>); 0 reads
    /// every window in full. Tests make blocks small to have many of them.
    /// </summary>
    internal int TimeBlockBytes { get; init; } = TimeBlocks.DefaultBlockBytes;

    /// <summary>Called before each sync of the active file, under the sync lock; tests hold a sync in flight with it.</summary>
    internal Action? SyncStarting { get; init; }

    /// <summary>The clock, for windows such as <see cref="EventFilter.LastHours"/> and for the sync cadence.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

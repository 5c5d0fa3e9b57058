namespace ScoutAudit.PowerShell;

/// <summary>
/// The ErrorIds the cmdlets report (the first part of <c>FullyQualifiedErrorId</c>). Scripts match
/// on them, so they are part of the public surface: about_ScoutAudit lists every one.
/// </summary>
public static class ErrorIds
{
    /// <summary>-Path names something outside the file system (a registry key, a variable...).</summary>
    public const string AuditLogPathNotFileSystem = nameof(AuditLogPathNotFileSystem);

    /// <summary>-Path names a directory, not a log file.</summary>
    public const string AuditLogPathIsDirectory = nameof(AuditLogPathIsDirectory);

    /// <summary>-Path cannot be resolved (an unknown drive or provider, an invalid path).</summary>
    public const string AuditLogPathInvalid = nameof(AuditLogPathInvalid);

    /// <summary>-Path names an archive or another file of a log (its index, a lock, a sidecar), or a compressed file, where a whole log is needed.</summary>
    public const string AuditLogPathNotLog = nameof(AuditLogPathNotLog);

    /// <summary>The log cannot be opened or written; the event was not written.</summary>
    public const string AuditLogWriteFailed = nameof(AuditLogWriteFailed);

    /// <summary>-Path or -LiteralPath names no log (neither the file nor an archive of it), or a wildcard matches no file: nothing is answered for it.</summary>
    public const string AuditLogNotFound = nameof(AuditLogNotFound);

    /// <summary>Get-ScoutAuditEvent's -Event (its first position) names a log file (<c>*.jsonl</c>, <c>*.jsonl.gz</c>), not an event type.</summary>
    public const string EventTypeIsPath = nameof(EventTypeIsPath);

    /// <summary>The log cannot be read.</summary>
    public const string AuditLogReadFailed = nameof(AuditLogReadFailed);

    /// <summary>The final sync when closing a log failed: lines written may not be on disk.</summary>
    public const string AuditLogCloseFailed = nameof(AuditLogCloseFailed);

    /// <summary>Rotating the log failed.</summary>
    public const string AuditLogRotateFailed = nameof(AuditLogRotateFailed);

    /// <summary>A field of the event is invalid (a negative cost, an empty event type...); nothing was written.</summary>
    public const string InvalidEventField = nameof(InvalidEventField);

    /// <summary>The event would be longer than a line may be (1 MiB); nothing was written.</summary>
    public const string EventTooLarge = nameof(EventTooLarge);

    /// <summary>The event has more extra fields than an event may have (1,024), or was read from a line with more; nothing was written.</summary>
    public const string TooManyExtraFields = nameof(TooManyExtraFields);

    /// <summary>-Config cannot be written as a JSON object; nothing was written.</summary>
    public const string InvalidConfig = nameof(InvalidConfig);

    /// <summary>-Property holds a field that cannot be written (a reserved name, a value without JSON form); nothing was written.</summary>
    public const string InvalidExtraField = nameof(InvalidExtraField);

    /// <summary>-Since is after -Until.</summary>
    public const string InvalidTimeWindow = nameof(InvalidTimeWindow);

    /// <summary>Get-ScoutAuditEvent -Wait was given -Until or more than one log.</summary>
    public const string InvalidWait = nameof(InvalidWait);

    /// <summary>A Set-ScoutAuditLog setting is out of range.</summary>
    public const string InvalidLogSetting = nameof(InvalidLogSetting);

    /// <summary>Test-ScoutAuditLog -StatePath given for more than one log.</summary>
    public const string InvalidStatePath = nameof(InvalidStatePath);

    /// <summary>-SigningKey or -PublicKey names a file that cannot be read or holds no EC key of the kind needed.</summary>
    public const string InvalidKey = nameof(InvalidKey);

    /// <summary>Register-ScoutAuditArchive could not add an archive to the chain.</summary>
    public const string AuditLogAdoptFailed = nameof(AuditLogAdoptFailed);

    /// <summary>A parameter that moved to another cmdlet was given (Test-ScoutAuditLog -Adopt: Register-ScoutAuditArchive); the message names it.</summary>
    public const string ParameterMoved = nameof(ParameterMoved);

    /// <summary>Remove-ScoutAuditArchive could not record a removal in the chain or delete the archive; the chain records each removal made before.</summary>
    public const string ArchiveRemoveFailed = nameof(ArchiveRemoveFailed);

    /// <summary>Remove-ScoutAuditArchive was given an archive that is no longer there (removed or renamed since it was listed).</summary>
    public const string ArchiveNotFound = nameof(ArchiveNotFound);

    /// <summary>Remove-ScoutAuditArchive was given an archive whose size or digest changed since it was listed; it stays.</summary>
    public const string ArchiveChanged = nameof(ArchiveChanged);

    /// <summary>Send-ScoutAuditEvent has no endpoint, or an endpoint, header or resource attribute it cannot use.</summary>
    public const string InvalidForwarding = nameof(InvalidForwarding);

    /// <summary>The collector refused a batch (400 and other 4xx but 429), or retries went on longer than -GiveUpAfter; the checkpoint is unchanged.</summary>
    public const string ForwardingFailed = nameof(ForwardingFailed);

    /// <summary>The collector accepted a batch but rejected some of its records (partial success); they are not sent again.</summary>
    public const string RecordsRejected = nameof(RecordsRejected);

    /// <summary>The forwarding checkpoint file is damaged, belongs to another log or endpoint, or cannot be read.</summary>
    public const string ForwardingCheckpointUnreadable = nameof(ForwardingCheckpointUnreadable);

    /// <summary>The checkpoint is past the end of the log: the log was deleted and begun again, so its ids were used before.</summary>
    public const string ForwardingCheckpointAhead = nameof(ForwardingCheckpointAhead);

    /// <summary>A batch was delivered but the checkpoint could not be saved: the next run sends it again.</summary>
    public const string ForwardingCheckpointUnwritable = nameof(ForwardingCheckpointUnwritable);

    /// <summary>Another forwarder of the same log and endpoint is running (it holds the lock beside the checkpoint); nothing was sent.</summary>
    public const string ForwarderRunning = nameof(ForwarderRunning);

    /// <summary>Export-ScoutAuditReport could not write the report's file (or -OutFile is a directory or not a file-system path); no half-written report is left.</summary>
    public const string ReportWriteFailed = nameof(ReportWriteFailed);

    /// <summary>Export-ScoutAuditReport -OutFile names a log's file (a log, an archive, the index, a sidecar); refused even with -Force.</summary>
    public const string ReportOutFileIsAuditLog = nameof(ReportOutFileIsAuditLog);

    /// <summary>Export-ScoutAuditReport -OutFile names an existing file that is not one of its reports; -Force replaces it.</summary>
    public const string ReportOutFileNotReport = nameof(ReportOutFileNotReport);

    /// <summary>Export-ScoutAuditReport -NoClobber and -OutFile names a file that exists, its own earlier report included.</summary>
    public const string ReportOutFileExists = nameof(ReportOutFileExists);

    /// <summary>Export-ScoutAuditReport -OutFile names a read-only file; -Force replaces it (and the new report is read-only too).</summary>
    public const string ReportOutFileReadOnly = nameof(ReportOutFileReadOnly);

    /// <summary>-SigningKey or -PublicKey names a private key's file that group or others may read or write (Unix); it must be 0600.</summary>
    public const string KeyFileOpenToOthers = nameof(KeyFileOpenToOthers);
}

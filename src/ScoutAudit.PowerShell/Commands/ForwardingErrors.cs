using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>When in Send-ScoutAuditEvent a forwarding failure happened: what it means depends on it.</summary>
internal enum ForwardingStage
{
    /// <summary>Making a log's forwarder: reading its checkpoint, taking its lock, checking the options.</summary>
    Starting,

    /// <summary>Delivering a log's batches, each moving the checkpoint.</summary>
    Delivering,

    /// <summary>Sending piped events, whose forwarder is made at the first batch and moves no checkpoint.</summary>
    SendingChosen,
}

/// <summary>
/// The error record a forwarding failure of Core becomes: its ErrorId, category and target. An
/// unreadable checkpoint file is a read error while starting, an unwritable one once delivering; a
/// failure not named here is not the command's to explain, and passes on as it is.
/// </summary>
internal static class ForwardingErrors
{
    /// <param name="error">What Core threw.</param>
    /// <param name="stage">When.</param>
    /// <param name="logPath">The log being forwarded: the target of a lock held elsewhere or not made.</param>
    /// <param name="shownEndpoint">The endpoint without its secrets: the target of an option refused.</param>
    public static (string ErrorId, ErrorCategory Category, object? Target)? Of(Exception error, ForwardingStage stage, string logPath, string shownEndpoint) => (error, stage) switch
    {
        (ForwardingException refused, not ForwardingStage.Starting) =>
            (ErrorIds.ForwardingFailed, refused.StatusCode is null ? ErrorCategory.ConnectionError : ErrorCategory.InvalidResult, refused.Endpoint),
        (AuditLogException unwritable, ForwardingStage.Delivering) => (ErrorIds.ForwardingCheckpointUnwritable, ErrorCategory.WriteError, unwritable.Path),
        (AuditLogException unreadable, _) => (ErrorIds.ForwardingCheckpointUnreadable, ErrorCategory.ReadError, unreadable.Path),
        // Delivering: a log whose directory was made after its forwarder started, whose lock was taken at the first delivery.
        (ForwarderRunningException, not ForwardingStage.SendingChosen) => (ErrorIds.ForwarderRunning, ErrorCategory.ResourceBusy, logPath),
        // A header the forwarder cannot send as given (Content-Type, which it sets itself).
        (ArgumentException, not ForwardingStage.Delivering) => (ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, shownEndpoint),
        // The lock file beside the checkpoint cannot be made, or is not the caller's own.
        (IOException, ForwardingStage.Starting) => (ErrorIds.ForwardingCheckpointUnwritable, ErrorCategory.WriteError, logPath),
        _ => null,
    };
}

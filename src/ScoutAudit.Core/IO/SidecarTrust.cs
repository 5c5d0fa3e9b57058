using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Whether a sidecar of the log (the archive index's hints, the active file's <c>.blocks</c>) may
/// decide what a query skips, and whether a query may write one. Nothing signs a sidecar, and one
/// false time range in it hides events from a time window; so a query takes a sidecar only when it
/// is the caller's alone to write: owned by the caller's effective user and writable by neither
/// group nor others. Whoever else wrote it then had the caller's rights (or root's), and could as
/// well edit the log's unsigned active file. A query, a read-only command, leaves a sidecar only in
/// a directory the caller owns, so that another user's directory gets nothing from a reader.
/// <para>
/// On Windows every sidecar is trusted and written as before this check existed: its ownership
/// and ACLs are not examined there (only Linux is run here).
/// </para>
/// </summary>
internal static class SidecarTrust
{
    /// <summary>Whether the open file is the caller's alone to write; false when that cannot be found out.</summary>
    public static bool IsCallersAlone(SafeFileHandle file)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            var status = NativeFile.StatusOf(file);
            return status.UserId == NativeFile.EffectiveUserId && (status.Mode & FileSafety.WritableByOthers) == 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the caller owns <paramref name="directory"/>, where a query may then leave sidecars; false when it cannot be examined.</summary>
    public static bool IsCallersDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            return NativeFile.StatusOf(directory) is { } status && status.UserId == NativeFile.EffectiveUserId;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

namespace ScoutAudit.Core;

/// <summary>
/// Says once per writer that the active file may be read by group or others. Their read permission
/// is left as it is: the owner may have given it on purpose (a log shipper's group), and the
/// original creates the file so under umask 022; their write permission was already taken away
/// (<see cref="FileSafety.RequireWritable"/>). Called under the writer's write lock, which guards <c>_told</c>.
/// </summary>
internal sealed class ReadableByOthersNotice(string path, IAuditDiagnostics diagnostics)
{
    private bool _told;

    public void CheckOnce(AppendOnlyFile file)
    {
        if (OperatingSystem.IsWindows() || _told) return;
        var status = NativeFile.StatusOf(file.Handle);
        if ((status.Mode & FileSafety.ReadableByOthers) == 0) return;
        _told = true;
        diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LogReadableByOthers, path,
            $"The audit log '{path}' may be read by {((status.Mode & UnixFileMode.OtherRead) != 0 ? "every user" : "its group")} (mode {status.ModeText}): " +
            $"its events, costs and reasons are theirs to read. 'chmod 600 {path}' makes it yours alone (ScoutAudit makes its own files so)."));
    }
}

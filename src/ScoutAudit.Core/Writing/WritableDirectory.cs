namespace ScoutAudit.Core;

/// <summary>The log's directory made ready for a writer: created (0700) when missing, and refused when others may change it.</summary>
internal static class WritableDirectory
{
    /// <summary>
    /// Creates the directory when missing. A directory that is not the owner's alone is refused
    /// unless <see cref="AuditLogOptions.AllowSharedDirectory"/>, and then reported.
    /// </summary>
    /// <exception cref="AuditLogException">The directory cannot be created, or is shared and not allowed.</exception>
    public static void Prepare(LogFiles files, AuditLogOptions options)
    {
        try
        {
            OwnerOnly.CreateDirectory(files.Directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(files.Active, $"The audit log '{files.Active}' cannot be opened for writing: {error.Message}", error);
        }
        if (FileSafety.WhyShared(files.Directory, forWriting: true) is not { } shared) return;
        if (!options.AllowSharedDirectory)
            throw new AuditLogException(files.Active, $"The audit log '{files.Active}' is not written: its directory '{files.Directory}' is not yours alone ({shared}), " +
                "and whoever may change it may put a link or a file of theirs in place of the log's files between two writes. Keep the log in a directory only you may write, " +
                "or allow this one knowingly (Set-ScoutAuditLog -AllowSharedDirectory; about_ScoutAuditSecurity).", new UnsafeFileException(files.Directory, shared));
        options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SharedDirectory, files.Active,
            $"The audit log '{files.Active}' is written in a directory that is not yours alone: '{files.Directory}' ({shared}). It is allowed for this log (-AllowSharedDirectory)."));
    }
}

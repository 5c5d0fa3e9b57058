namespace ScoutAudit.Core;

/// <summary>The log could not be written, synced or opened. The inner exception holds the OS error.</summary>
public sealed class AuditLogException : IOException
{
    public AuditLogException(string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The file or directory concerned.</summary>
    public string Path { get; }
}

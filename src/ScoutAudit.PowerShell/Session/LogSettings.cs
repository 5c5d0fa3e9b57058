using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Session;

/// <summary>What Set-ScoutAuditLog changes for one log, for the rest of the session.</summary>
internal sealed record LogSettings
{
    public static LogSettings Default { get; } = new();

    public SyncPolicy SyncPolicy { get; init; } = SyncPolicy.Default;

    public RotationInterval RotationInterval { get; init; } = RotationInterval.None;

    /// <summary>Null: never rotate by size.</summary>
    public long? RotationSize { get; init; } = AuditLogOptions.DefaultRotationSize;

    /// <summary>
    /// The smallest rotation size Set-ScoutAuditLog takes: below it every few events would become an
    /// archive, and a value such as 10 is a forgotten unit (10MB) far more often than a wish.
    /// </summary>
    public const long MinimumRotationSize = 4 * 1024;

    /// <summary>Signs the chained index entries of the archives this session makes; null: chained, unsigned.</summary>
    public ChainKey? SigningKey { get; init; }

    /// <summary>Archives removed after each rotation (Set-ScoutAuditLog -KeepArchives, -KeepArchivesFor); null keeps all.</summary>
    public ArchiveRetention? Retention { get; init; }

    /// <summary>Writes even in a directory another user may change (Set-ScoutAuditLog -AllowSharedDirectory).</summary>
    public bool AllowSharedDirectory { get; init; }
}

using ScoutAudit.Core;

namespace ScoutAudit;

/// <summary>A log this session knows: where it is, how big, its archives and its settings for the session.</summary>
public sealed class AuditLogInfo
{
    internal AuditLogInfo(string path, long size, IReadOnlyList<Core.ArchiveDescription> archives, AuditLogOptions settings, long unsyncedLines, long atRiskLines)
    {
        var (rotationSize, syncPolicy) = (settings.RotationSize, settings.SyncPolicy);
        SigningKey = settings.SigningKey?.Id;
        RotationInterval = settings.RotationInterval;
        KeepArchives = settings.Retention?.Keep;
        KeepArchivesFor = settings.Retention?.MaxAge;
        Path = path;
        Size = size;
        Archives = archives.Count;
        ArchiveBytes = archives.Sum(a => a.CompressedBytes);
        RotationSize = rotationSize;
        SyncPolicy = syncPolicy.Mode;
        SyncEveryLines = syncPolicy.EveryLines;
        SyncInterval = syncPolicy.Interval;
        UnsyncedLines = unsyncedLines;
        AtRiskLines = atRiskLines;
    }

    /// <summary>The id of the key that signs this session's archive index entries (Set-ScoutAuditLog -SigningKey); null when they are not signed.</summary>
    public string? SigningKey { get; }

    /// <summary>The active file is also sealed after every UTC hour or day boundary; None: by size only.</summary>
    public RotationInterval RotationInterval { get; }

    /// <summary>After each rotation, archives beyond the newest this many are removed; null: no limit.</summary>
    public int? KeepArchives { get; }

    /// <summary>After each rotation, archives whose newest event is older than this are removed; null: no limit.</summary>
    public TimeSpan? KeepArchivesFor { get; }

    /// <summary>The active file's full path.</summary>
    public string Path { get; }

    /// <summary>Size of the active file in bytes (0 when it does not exist yet).</summary>
    public long Size { get; }

    /// <summary>Number of archives beside the active file.</summary>
    public int Archives { get; }

    /// <summary>Total size of the archives in bytes (compressed, as on disk).</summary>
    public long ArchiveBytes { get; }

    /// <summary>The active file is archived once it reaches this many bytes; null never by size.</summary>
    public long? RotationSize { get; }

    /// <summary>The sync policy by its name, as Set-ScoutAuditLog -SyncPolicy takes it: compares with 'EveryEvent' and prints as EveryEvent.</summary>
    public SyncMode SyncPolicy { get; }

    /// <summary>With the Cadence policy: a sync after this many unsynced lines.</summary>
    public int SyncEveryLines { get; }

    /// <summary>With the Cadence policy: no line stays unsynced longer than this.</summary>
    public TimeSpan SyncInterval { get; }

    /// <summary>Lines this session wrote that are not yet known to be on stable storage.</summary>
    public long UnsyncedLines { get; }

    /// <summary>
    /// Lines this session wrote before a sync that failed: the system may have dropped them, and no
    /// later sync vouches for them; Close-ScoutAuditLog fails naming how many. 0 normally.
    /// </summary>
    public long AtRiskLines { get; }

    public override string ToString() => Path;
}

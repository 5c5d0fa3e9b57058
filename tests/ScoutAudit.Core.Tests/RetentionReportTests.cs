using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// What a rotation's retention removes is asked about and reported, what it would remove can be
/// told without writing, and archives given by path are removed exactly, each recorded in the chain.
/// </summary>
public sealed class RetentionReportTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public RetentionReportTests() => _path = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    /// <summary>Three archives of one event each, oldest first, and an event in the active file.</summary>
    private List<string> WriteHistory(AuditLog log)
    {
        var archives = new List<string>();
        for (var a = 0; a < 3; a++)
        {
            log.Append(new LogEvent("nav", Start.AddHours(a), "s"));
            archives.Add(log.Rotate()!.Path);
        }
        log.Append(new LogEvent("nav", Start.AddHours(3), "s"));
        return archives;
    }

    private string[] FolderState() =>
        [.. Directory.GetFiles(_folder.FullPath).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}")];

    [Fact]
    public void WhatRetentionWouldRemoveCountsTheArchiveTheRotationWouldMakeAndWritesNothing()
    {
        List<string> archives;
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null })) archives = WriteHistory(log);
        using var kept = new AuditLog(_path, new AuditLogOptions { RotationSize = null, Retention = new ArchiveRetention { Keep = 1 } });
        var before = FolderState();

        var wouldGo = kept.ArchivesRetentionWouldRemove();

        Assert.Equal(archives, wouldGo.Select(a => a.Path));
        Assert.Equal(before, FolderState());
    }

    [Fact]
    public void ARotationRemovesOnlyTheArchivesApprovedAndReportsThem()
    {
        List<string> archives;
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null })) archives = WriteHistory(log);
        using var kept = new AuditLog(_path, new AuditLogOptions { RotationSize = null, Retention = new ArchiveRetention { Keep = 1 } });
        var asked = new List<string>();

        var result = kept.Rotate(archive => { asked.Add(archive.Path); return archive.Path != archives[1]; });

        Assert.Equal(archives, asked);
        Assert.Equal([archives[0], archives[2]], result.Removed.Select(a => a.Path));
        Assert.NotNull(result.Archive);
        Assert.Equal([archives[1], result.Archive!.Path], kept.Archives().Select(a => a.Path));
    }

    [Fact]
    public void ArchivesGivenByPathAreRemovedExactlyAndTheLogStillVerifies()
    {
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        var archives = WriteHistory(log);

        var removed = log.RemoveArchives(new HashSet<string> { archives[0], archives[2], _folder.File("audit_20200101_000000.jsonl.gz") }, "by hand", _ => true);

        Assert.Equal([archives[0], archives[2]], removed.Select(a => a.Path));
        Assert.Equal([archives[1]], log.Archives().Select(a => a.Path));
        var findings = new List<IntegrityFinding>();
        var summary = log.Verify(null, findings.Add, record: false);
        Assert.Empty(findings);
        Assert.Equal(2, summary.Removed);
    }
}

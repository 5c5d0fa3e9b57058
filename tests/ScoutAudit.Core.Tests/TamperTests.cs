using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A tamperer who can write the log's directory but has not the signing key, trying to make the
/// verifier say Verified over forged history, and an honest neighbour (the original tool rotating
/// a shared log) it must not take for one. Each attack here once got Verified.
/// </summary>
public sealed class TamperTests : IDisposable
{
    private const int ArchiveCount = 6;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly LogFiles _files;

    public TamperTests()
    {
        _path = _folder.File("audit.jsonl");
        _files = new LogFiles(_path);
    }

    public void Dispose() => _folder.Dispose();

    private List<string> WriteHistory(ChainKey? key = null)
    {
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null, SigningKey = key });
        var archives = new List<string>();
        for (var a = 0; a < ArchiveCount; a++)
        {
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddHours(a).AddSeconds(e), "s") { Cost = 1 });
            archives.Add(log.Rotate()!.Path);
        }
        for (var e = 0; e < 4; e++) log.Append(new LogEvent("deep", Start.AddHours(ArchiveCount).AddSeconds(e), "s"));
        return archives;
    }

    private (List<IntegrityFinding> Findings, LogVerificationSummary Summary) Verify(ChainKey? publicKey = null, string? statePath = null)
    {
        var findings = new List<IntegrityFinding>();
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        var summary = log.Verify(publicKey, findings.Add, statePath: statePath);
        return (findings, summary);
    }

    private static int ArchiveEntry(int archive) => 2 * archive + 1;

    private string[] IndexLines() => File.ReadAllLines(_files.Index);

    private void WriteIndex(IEnumerable<string> lines) => File.WriteAllText(_files.Index, string.Join("\n", lines) + "\n");

    private static ChainKey PublicOf(ChainKey key) => ChainKey.FromPem(key.ExportPublicKeyPem());

    /// <summary>An archive of one forged event of cost 1000, named as <paramref name="path"/>; returns its SHA-256 and length.</summary>
    private static (string Sha256, long Length) Forge(string path)
    {
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
            gzip.Write("{\"ts\": \"2026-03-01T09:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1000}\n"u8);
        return (ChainKey.HexSha256(File.ReadAllBytes(path)), new FileInfo(path).Length);
    }

    [Fact]
    public void MembersAppendedAfterTheSignatureDoNotReplaceAnArchive()
    {
        using var key = ChainKey.Create();
        var archives = WriteHistory(key);
        var (sha, length) = Forge(archives[1]);
        var lines = IndexLines();
        var entry = lines[ArchiveEntry(1)];
        lines[ArchiveEntry(1)] = entry[..^1] + $",\"sha256\":\"{sha}\",\"gz_bytes\":{length}}}";
        WriteIndex(lines);
        using var publicKey = PublicOf(key);

        var (findings, summary) = Verify(publicKey);

        Assert.Equal("Failed", summary.Status);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.IndexLineDamaged && f.Line == ArchiveEntry(1) + 1);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveNotInChain && f.Path == archives[1]);
    }

    [Fact]
    public void AMemberAppendedAfterTheSignatureDoesNotTurnADeletedArchiveIntoARecordedRemoval()
    {
        using var key = ChainKey.Create();
        var archives = WriteHistory(key);
        File.Delete(archives[2]);
        var lines = IndexLines();
        lines[ArchiveEntry(2)] = lines[ArchiveEntry(2)][..^1] + $",\"removed\":\"{Path.GetFileName(archives[2])}\",\"at\":\"2026-03-02T00:00:00.000Z\",\"reason\":\"retention\"}}";
        WriteIndex(lines);
        using var publicKey = PublicOf(key);

        var (findings, summary) = Verify(publicKey);

        Assert.Equal("Failed", summary.Status);
        Assert.Equal(0, summary.Removed);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.IndexLineDamaged);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ChainBroken);
    }

    [Fact]
    public void APrevAppendedAfterTheSignatureDoesNotReLinkTheLinesAfterARemovedOne()
    {
        using var key = ChainKey.Create();
        var archives = WriteHistory(key);
        var lines = IndexLines().ToList();
        lines.RemoveAt(ArchiveEntry(3));
        File.Delete(archives[3]);
        // Every later line re-linked by a "prev" member added after its signature.
        for (var i = ArchiveEntry(3); i < lines.Count; i++)
        {
            var previous = ChainKey.HexSha256(Encoding.UTF8.GetBytes(lines[i - 1]));
            lines[i] = lines[i][..^1] + $",\"prev\":\"{previous}\",\"seq\":{i}}}";
        }
        WriteIndex(lines);
        using var publicKey = PublicOf(key);

        var (findings, summary) = Verify(publicKey);

        Assert.Equal("Failed", summary.Status);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveNotInChain && f.Path == archives[4]);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveNotInChain && f.Path == archives[5]);
    }

    [Fact]
    public void ARepeatedOrUnknownMemberMakesAnUnsignedEntryDamageToo()
    {
        var archives = WriteHistory();
        var (sha, length) = Forge(archives[0]);
        var lines = IndexLines();
        // A duplicate member placed first: a parser that keeps the first would read the forged values.
        lines[ArchiveEntry(0)] = "{" + $"\"sha256\":\"{sha}\",\"gz_bytes\":{length}," + lines[ArchiveEntry(0)][1..];
        WriteIndex(lines);

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.IndexLineDamaged);
    }

    [Fact]
    public void APlantedSealedSegmentIsAnErrorAndTheKeyHoldersNextRotationDoesNotSignIt()
    {
        using var key = ChainKey.Create();
        WriteHistory(key);
        var planted = _files.PathOf("audit_20260101_000000.jsonl");
        File.WriteAllText(planted, "{\"ts\": \"2026-03-01T09:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1000}\n");
        var (before, beforeSummary) = Verify();
        var read = new RecordingDiagnostics();
        var events = Events.ReadAll(_path, read);

        var diagnostics = new RecordingDiagnostics();
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null, SigningKey = key, Diagnostics = diagnostics }))
        {
            log.Append(new LogEvent("nav", Start.AddDays(1), "s"));
            log.Rotate();
        }
        using var publicKey = PublicOf(key);
        var (after, _) = Verify(publicKey);

        Assert.Equal("Failed", beforeSummary.Status);
        Assert.Contains(before, f => f.Kind == IntegrityFindingKind.UnknownSegment && f.Path == planted);
        Assert.Contains(events, e => e.Cost == 1000); // queries read it, and say so
        Assert.Contains(read.Problems, d => d.Kind == AuditDiagnosticKind.SegmentUnexplained && d.Path == planted);
        Assert.True(File.Exists(planted), "the planted segment is left as it is");
        Assert.False(File.Exists(planted + ".gz"), "it is never archived");
        Assert.DoesNotContain("audit_20260101_000000", File.ReadAllText(_files.Index));
        Assert.Contains(diagnostics.Problems, d => d.Kind == AuditDiagnosticKind.RotationFailed && d.Path == planted);
        Assert.Equal([IntegrityFindingKind.UnknownSegment], after.Select(f => f.Kind));
    }

    [Fact]
    public void ASegmentEditedAfterItsSealIsNotArchived()
    {
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null }))
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddSeconds(e), "s") { Cost = 1 });
        var rotation = new LogRotation(_files, AuditLogOptions.Default);
        var segment = _files.PathOf(rotation.Seal(minimumSize: null)! + ArchiveName.SealedSuffix);
        File.WriteAllText(segment, File.ReadAllText(segment).Replace("\"cost\": 1", "\"cost\": 9"));
        var unexplained = new List<string>();

        rotation.ArchiveSealed((path, _) => unexplained.Add(path), CancellationToken.None);
        var (findings, _) = Verify();

        Assert.Equal([segment], unexplained);
        Assert.True(File.Exists(segment));
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.SegmentModified && f.Path == segment);
    }

    [Fact]
    public void ABackdatedArchiveInAChainedLogIsAnError()
    {
        WriteHistory();
        var backdated = _files.PathOf("audit_20200101_000000.jsonl.gz");
        Forge(backdated);

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        var finding = Assert.Single(findings);
        Assert.Equal((IntegrityFindingKind.ArchiveNotInChain, IntegritySeverity.Error, backdated), (finding.Kind, finding.Severity, finding.Path));
    }

    [Fact]
    public void TheActiveFileRewrittenWithoutItsFirstLineIsReplaced()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings);
        // As sed -i 1d does: a new file with the other lines, renamed over the log.
        File.WriteAllLines(_path + ".sed", File.ReadAllLines(_path).Skip(1));
        File.Move(_path + ".sed", _path, overwrite: true);

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        Assert.Equal([IntegrityFindingKind.ActiveFileReplaced], findings.Select(f => f.Kind));
    }

    [Fact]
    public void AnEventEditedInPlaceInTheActiveFileIsFound()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings);
        var text = File.ReadAllText(_path);
        using (var file = new FileStream(_path, FileMode.Open, FileAccess.Write)) file.Write(Encoding.UTF8.GetBytes(text.Replace("\"deep\"", "\"DEEP\"")));

        var (findings, _) = Verify();

        Assert.Equal([IntegrityFindingKind.ActiveFileReplaced], findings.Select(f => f.Kind));
    }

    [Fact]
    public void TheActiveFileGrowingAfterAVerificationIsNoFinding()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings);
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null })) log.Append(new LogEvent("nav", Start.AddDays(2), "s"));

        Assert.Empty(Verify().Findings);
    }

    [Fact]
    public void AClosingBraceCutInTheMiddleIsAnErrorNotATornLine()
    {
        WriteHistory();
        var lines = File.ReadAllLines(_path);
        lines[1] = lines[1][..^1];
        File.WriteAllText(_path, string.Join("\n", lines) + "\n");

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        var finding = Assert.Single(findings);
        Assert.Equal((IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, 2L), (finding.Kind, finding.Severity, finding.Line));
    }

    /// <summary>The signatures stripped and every entry re-chained: the public key finds it; without it, the state of the last verification does.</summary>
    [Fact]
    public void StrippedAndReChainedSignaturesAreFoundWithTheKeyAndWithoutIt()
    {
        using var key = ChainKey.Create();
        WriteHistory(key);
        var (clean, cleanSummary) = Verify();
        var rewritten = new List<string>();
        foreach (var line in IndexLines())
        {
            var entry = JsonNode.Parse(line)!.AsObject();
            entry.Remove("sig");
            entry.Remove("key");
            entry["prev"] = rewritten.Count == 0 ? null : ChainKey.HexSha256(Encoding.UTF8.GetBytes(rewritten[^1]));
            rewritten.Add(entry.ToJsonString());
        }
        WriteIndex(rewritten);
        using var publicKey = PublicOf(key);

        var (withKey, _) = Verify(publicKey);
        var (withoutKey, withoutKeySummary) = Verify();

        Assert.Equal("SignaturesNotChecked", cleanSummary.Status);
        Assert.Equal([IntegrityFindingKind.SignaturesNotChecked], clean.Select(f => f.Kind));
        Assert.Equal(2 * ArchiveCount, withKey.Count(f => f is { Kind: IntegrityFindingKind.SignatureMissing, Entry: not null }));
        Assert.Equal("Failed", withoutKeySummary.Status);
        Assert.Contains(withoutKey, f => f.Kind == IntegrityFindingKind.SignatureMissing && f.Message.Contains(key.Id));
    }

    [Fact]
    public void AnUnsignedEntryAfterASignedOneIsAnErrorWithoutAKey()
    {
        using var key = ChainKey.Create();
        var archives = WriteHistory(key);
        var lines = IndexLines();
        var last = JsonNode.Parse(lines[^1])!.AsObject();
        last.Remove("sig");
        last.Remove("key");
        lines[^1] = last.ToJsonString();
        WriteIndex(lines);

        var (findings, _) = Verify();

        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.SignatureMissing && f.Entry == ArchiveEntry(ArchiveCount - 1));
        Assert.True(File.Exists(archives[^1]));
    }

    [Fact]
    public void AWriterWithoutTheKeyDoesNotRotateASignedLog()
    {
        using var key = ChainKey.Create();
        WriteHistory(key);
        var indexBefore = File.ReadAllText(_files.Index);
        var diagnostics = new RecordingDiagnostics();
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = 1024, Diagnostics = diagnostics }))
        {
            for (var e = 0; e < 40; e++) log.Append(new LogEvent("nav", Start.AddDays(1).AddSeconds(e), "s"));
            var refused = Assert.Throws<AuditLogException>(() => log.Rotate());
            Assert.Contains("signed", refused.Message);
        }

        Assert.Equal(indexBefore, File.ReadAllText(_files.Index));
        Assert.DoesNotContain(RotatedSegments.List(_files), s => s.HasSealed);
        Assert.Contains(diagnostics.Problems, d => d.Kind == AuditDiagnosticKind.RotationFailed && d.Message.Contains("signing key"));
        Assert.Equal(ArchiveCount * 3 + 4 + 40, Events.ReadAll(_path).Count); // nothing lost: the active file goes on growing
    }

    /// <summary>
    /// The original rotates as it does: the whole active file gzipped to its own name, the file
    /// deleted, a new one begun. After a verification that saw the file, that is no tampering.
    /// </summary>
    [Fact]
    public void TheOriginalRotatingASharedLogIsAWarningAndAdoptable()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings);
        var originalArchive = _files.PathOf("audit_20270101_000000.jsonl.gz");
        var content = File.ReadAllBytes(_path);
        using (var gzip = new GZipStream(File.Create(originalArchive), CompressionLevel.Optimal))
            gzip.Write([.. content, .. "{\"ts\": \"2026-03-02T00:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"o\"}\n"u8]);
        File.Delete(_path);
        File.WriteAllText(_path, "{\"ts\": \"2026-03-02T00:00:01.000Z\", \"event\": \"nav\", \"session_id\": \"o\"}\n");

        var (first, firstSummary) = Verify();
        var (second, secondSummary) = Verify();
        using (var log = new AuditLog(_path)) log.Adopt(_ => true, (_, error) => throw error);
        var (adopted, adoptedSummary) = Verify();

        Assert.Equal(("Unchained", 0), (firstSummary.Status, firstSummary.Errors));
        Assert.Equal([(IntegrityFindingKind.ArchiveUnchained, IntegritySeverity.Warning)], first.Select(f => (f.Kind, f.Severity)));
        Assert.Equal(("Unchained", 0), (secondSummary.Status, secondSummary.Errors));
        Assert.Single(second);
        Assert.Empty(adopted);
        Assert.Equal("Verified", adoptedSummary.Status);
    }

    [Fact]
    public void ALogWhoseArchivesWereAllRemovedByRetentionVerifies()
    {
        WriteHistory();
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null }))
        {
            log.Rotate();
            log.RemoveArchives(before: null, keep: 0, reason: "test", _ => true);
        }
        Assert.False(File.Exists(_path));

        var (findings, summary) = Verify();

        Assert.Empty(findings);
        Assert.Equal(("Verified", ArchiveCount + 1), (summary.Status, summary.Removed));
    }

    [Fact]
    public void AStateKeptElsewhereCatchesATamperWhoAlsoDeletesTheStateBesideTheLog()
    {
        WriteHistory();
        var state = _folder.File("auditor-state.json");
        Assert.Empty(Verify(statePath: state).Findings);
        File.WriteAllLines(_path + ".sed", File.ReadAllLines(_path).Skip(1));
        File.Move(_path + ".sed", _path, overwrite: true);
        File.Delete(_files.Verified);

        var (findings, _) = Verify(statePath: state);

        Assert.Equal([IntegrityFindingKind.ActiveFileReplaced], findings.Select(f => f.Kind));
    }

    /// <summary>A crash between a seal's record and its rename: the bytes stay in the active file, and the next seal takes the record over.</summary>
    [Fact]
    public void ASealInterruptedBetweenItsRecordAndItsRenameIsTakenOverByTheNextSeal()
    {
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null }))
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddSeconds(e), "s"));
        var (digest, length) = FileDigest.Compute(_path);
        ArchiveIndex.AppendChained(_files, IndexLine.SealEntry(_files.PathOf("audit_20260301_000000.jsonl"), length, digest), key: null);
        var (interrupted, _) = Verify();

        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null }))
        {
            for (var e = 3; e < 5; e++) log.Append(new LogEvent("nav", Start.AddSeconds(e), "s"));
            log.Rotate();
        }
        var (findings, summary) = Verify();

        Assert.Empty(interrupted);
        Assert.Empty(findings);
        Assert.Equal("Verified", summary.Status);
        Assert.Contains("\"supersedes\":\"audit_20260301_000000.jsonl\"", File.ReadAllText(_files.Index));
        Assert.Equal(5, Events.ReadAll(_path).Count);
    }

    [Fact]
    public void ASealedSegmentDeletedBeforeItsArchiveIsMissing()
    {
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null }))
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddSeconds(e), "s"));
        var segment = _files.PathOf(new LogRotation(_files, AuditLogOptions.Default).Seal(minimumSize: null)! + ArchiveName.SealedSuffix);
        File.Delete(segment);

        var (findings, _) = Verify();

        var finding = Assert.Single(findings);
        Assert.Equal((IntegrityFindingKind.ArchiveMissing, segment), (finding.Kind, finding.Path));
    }
}

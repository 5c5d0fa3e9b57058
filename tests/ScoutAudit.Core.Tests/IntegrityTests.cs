using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A history of 22 archives tampered with in each way an auditor must catch: the verifier names
/// each problem (kind and file or entry), finds nothing in a clean, adopted or signed history, and
/// with a signature also catches an entry edited together with its archive.
/// </summary>
public sealed class IntegrityTests : IDisposable
{
    private const int ArchiveCount = 22;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly LogFiles _files;

    public IntegrityTests()
    {
        _path = _folder.File("audit.jsonl");
        _files = new LogFiles(_path);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes <see cref="ArchiveCount"/> archives an hour apart, then a few events in the active file.</summary>
    private List<string> WriteHistory(ChainKey? key = null, string? path = null, string session = "s")
    {
        // The system clock: a manual one would hold the writer's append lease, which its timer ends, for ever.
        // Rotations in the same second get names _0001, _0002... in order.
        using var log = new AuditLog(path ?? _path, new AuditLogOptions { RotationSize = null, SigningKey = key });
        var archives = new List<string>();
        for (var a = 0; a < ArchiveCount; a++)
        {
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddHours(a).AddSeconds(e), session) { InputTokens = a * 10 + e });
            archives.Add(log.Rotate()!.Path);
        }
        for (var e = 0; e < 4; e++) log.Append(new LogEvent("deep", Start.AddHours(ArchiveCount).AddSeconds(e), "s"));
        return archives;
    }

    private (List<IntegrityFinding> Findings, LogVerificationSummary Summary) Verify(ChainKey? publicKey = null)
    {
        var findings = new List<IntegrityFinding>();
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        var summary = log.Verify(publicKey, findings.Add);
        return (findings, summary);
    }

    private static void AssertOnly(List<IntegrityFinding> findings, params (IntegrityFindingKind Kind, string Path)[] expected) =>
        Assert.Equal(
            expected.Select(e => $"{e.Kind} {Path.GetFileName(e.Path)}").Order(),
            findings.Select(f => $"{f.Kind} {Path.GetFileName(f.Path)}").Order());

    private string[] IndexLines() => File.ReadAllLines(_files.Index);

    /// <summary>
    /// The chained entry (and index line) of archive <paramref name="archive"/> of <see cref="WriteHistory"/>:
    /// each rotation chains the seal of its segment, then its archive.
    /// </summary>
    private static int ArchiveEntry(int archive) => 2 * archive + 1;

    private void WriteIndex(IEnumerable<string> lines) => File.WriteAllText(_files.Index, string.Join("\n", lines) + "\n");

    [Fact]
    public void ACleanHistoryVerifiesAndSaysHowMuchItRead()
    {
        var archives = WriteHistory();

        var (findings, summary) = Verify();

        Assert.Empty(findings);
        Assert.Equal("Verified", summary.Status);
        Assert.Equal((ArchiveCount, ArchiveCount, 0, 0), (summary.Archives, summary.Chained, summary.Signed, summary.Unchained));
        var expectedBytes = archives.Sum(a => new FileInfo(a).Length) + new FileInfo(_path).Length;
        Assert.Equal(expectedBytes, summary.BytesRead);
    }

    [Fact]
    public void OneFlippedByteNamesThatArchive()
    {
        var archives = WriteHistory();
        var bytes = File.ReadAllBytes(archives[5]);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(archives[5], bytes);

        var (findings, summary) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveModified, archives[5]));
        Assert.Equal(ArchiveEntry(5), findings[0].Entry);
        Assert.Equal("Failed", summary.Status);
        Assert.Contains(ChainKey.HexSha256(bytes), findings[0].Actual);
    }

    [Fact]
    public void ATruncatedArchiveIsShorterThanRecorded()
    {
        var archives = WriteHistory();
        var length = new FileInfo(archives[7]).Length;
        using (var file = File.OpenWrite(archives[7])) file.SetLength(length - 10);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveModified, archives[7]));
        Assert.Contains("truncated", findings[0].Message);
        Assert.StartsWith($"{length} bytes", findings[0].Expected);
    }

    [Fact]
    public void ADeletedArchiveIsMissing()
    {
        var archives = WriteHistory();
        File.Delete(archives[9]);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveMissing, archives[9]));
        Assert.Equal(ArchiveEntry(9), findings[0].Entry);
    }

    [Fact]
    public void AnArchiveReplacedWithOneOfAnotherLogIsModified()
    {
        var archives = WriteHistory();
        using var other = new TempFolder();
        var otherArchives = WriteHistory(path: other.File("audit.jsonl"), session: "another");
        File.Copy(otherArchives[11], archives[11], overwrite: true);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveModified, archives[11]));
    }

    [Fact]
    public void SwappedNamesAreMisplacedArchivesNamingWhatEachHolds()
    {
        var archives = WriteHistory();
        File.Move(archives[3], archives[3] + ".swap");
        File.Move(archives[4], archives[3]);
        File.Move(archives[3] + ".swap", archives[4]);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveMisplaced, archives[3]), (IntegrityFindingKind.ArchiveMisplaced, archives[4]));
        Assert.Contains(Path.GetFileName(archives[4]), findings.Single(f => f.Path == archives[3]).Actual);
    }

    [Fact]
    public void RemovingTheLastEntryLeavesItsArchiveOutsideTheChain()
    {
        var archives = WriteHistory();
        WriteIndex(IndexLines()[..^1]);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveNotInChain, archives[^1]));
    }

    [Fact]
    public void RemovingAMiddleEntryBreaksTheChainAtTheNextOne()
    {
        var archives = WriteHistory();
        var lines = IndexLines().ToList();
        lines.RemoveAt(ArchiveEntry(6));
        WriteIndex(lines);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ChainBroken, _files.Index), (IntegrityFindingKind.ArchiveNotInChain, archives[6]));
        Assert.Equal(ArchiveEntry(6) + 1, findings.Single(f => f.Kind == IntegrityFindingKind.ChainBroken).Entry);
    }

    [Fact]
    public void AnEditedEntryBreaksTheChainAndNoLongerMatchesItsArchive()
    {
        var archives = WriteHistory();
        var lines = IndexLines();
        lines[ArchiveEntry(2)] = lines[ArchiveEntry(2)].Replace("\"lines\":3", "\"lines\":2").Replace("\"sha256\":\"", "\"sha256\":\"0");
        WriteIndex(lines);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ChainBroken, _files.Index), (IntegrityFindingKind.ArchiveModified, archives[2]));
    }

    /// <summary>
    /// An entry and its archive edited together, and every later entry re-chained: only a signature
    /// tells. Without one the verifier cannot know (what about_ScoutAuditIntegrity says); with one
    /// it names the first rewritten entry.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnEntryEditedTogetherWithItsArchiveIsCaughtOnlyBySignature(bool signed)
    {
        using var key = ChainKey.Create();
        var archives = WriteHistory(signed ? key : null);
        const int edited = 8;
        var events = Encoding.UTF8.GetString(Unzip(archives[edited])).Replace("\"input_t\": 80", "\"input_t\": 8000");
        Zip(archives[edited], Encoding.UTF8.GetBytes(events));
        var lines = IndexLines().Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        lines[ArchiveEntry(edited)]["sha256"] = ChainKey.HexSha256(File.ReadAllBytes(archives[edited]));
        lines[ArchiveEntry(edited)]["gz_bytes"] = new FileInfo(archives[edited]).Length;
        var rewritten = IndexLines()[..ArchiveEntry(edited)].ToList(); // the entries before it, byte for byte
        foreach (var line in lines.Skip(ArchiveEntry(edited)))
        {
            if (rewritten.Count > 0) line["prev"] = ChainKey.HexSha256(Encoding.UTF8.GetBytes(rewritten[^1]));
            rewritten.Add(line.ToJsonString().Replace("\\u002B", "+")); // as the writer writes a signature: base64 unescaped
        }
        WriteIndex(rewritten);

        var (findings, summary) = Verify(signed ? key : null);

        if (!signed)
        {
            Assert.Empty(findings);
            return;
        }
        Assert.All(findings, f => Assert.Equal(IntegrityFindingKind.SignatureInvalid, f.Kind));
        Assert.Equal(ArchiveEntry(edited), findings.Min(f => f.Entry));
        Assert.Equal(2 * ArchiveCount, summary.SignaturesChecked);
    }

    [Fact]
    public void ASignedHistoryVerifiesWithItsPublicKeyAloneAndNotWithAnother()
    {
        using var key = ChainKey.Create();
        WriteHistory(key);
        using var publicKey = ChainKey.FromPem(key.ExportPublicKeyPem());
        using var otherKey = ChainKey.Create();

        var (findings, summary) = Verify(publicKey);
        var (withOther, _) = Verify(otherKey);

        Assert.False(publicKey.HasPrivateKey);
        Assert.Empty(findings);
        Assert.Equal((2 * ArchiveCount, 2 * ArchiveCount), (summary.Signed, summary.SignaturesChecked));
        Assert.Equal(2 * ArchiveCount, withOther.Count(f => f.Kind == IntegrityFindingKind.SignedByOtherKey));
        Assert.Equal(2 * ArchiveCount, withOther.Count);
    }

    [Fact]
    public void AnUnsignedChainFailsWhenAPublicKeyIsGiven()
    {
        WriteHistory();
        using var key = ChainKey.Create();

        var (findings, _) = Verify(key);

        Assert.Equal(2 * ArchiveCount, findings.Count(f => f.Kind == IntegrityFindingKind.SignatureMissing));
    }

    [Fact]
    public void TheOriginalsArchivesAreUnchainedUntilAdoptedAndOneAddedAfterwardsIsNotInTheChain()
    {
        var archives = WriteHistory();
        File.Delete(_files.Index); // as the original leaves its log: archives, no index

        var (before, beforeSummary) = Verify();
        IReadOnlyList<ArchiveDescription> adopted;
        using (var log = new AuditLog(_path)) adopted = log.Adopt(_ => true, (_, error) => throw error);
        var (after, afterSummary) = Verify();
        // The original rotates the log again: an archive with no entry, newer than the chain's start.
        var late = _files.PathOf("audit_29990101_000000.jsonl.gz");
        Zip(late, "{\"ts\": \"2027-01-01T00:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n"u8.ToArray());
        var (later, _) = Verify();

        Assert.Equal(ArchiveCount, before.Count(f => f is { Kind: IntegrityFindingKind.ArchiveUnchained, Severity: IntegritySeverity.Warning }));
        Assert.Equal(ArchiveCount, before.Count);
        Assert.Equal(("Unchained", ArchiveCount), (beforeSummary.Status, beforeSummary.Unchained));
        Assert.Equal(archives, adopted.Select(a => a.Path));
        Assert.Empty(after);
        Assert.Equal(("Verified", ArchiveCount), (afterSummary.Status, afterSummary.Chained));
        AssertOnly(later, (IntegrityFindingKind.ArchiveNotInChain, late));
    }

    [Fact]
    public void ADamagedArchiveOutsideTheChainIsFoundAndNotAdopted()
    {
        var archives = WriteHistory();
        File.Delete(_files.Index);
        using (var file = File.OpenWrite(archives[0])) file.SetLength(file.Length - 8); // the gzip trailer

        var (findings, _) = Verify();
        var skipped = new List<string>();
        using (var log = new AuditLog(_path)) log.Adopt(_ => true, (path, _) => skipped.Add(path));

        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveDamaged && f.Path == archives[0]);
        Assert.Equal([archives[0]], skipped);
    }

    [Fact]
    public void LinesRemovedFromTheActiveFileAfterAVerificationAreFound()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings);
        var lines = File.ReadAllLines(_path);
        File.WriteAllLines(_path, lines.Where((_, i) => i != 1));

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.FileShrunk, _path));
    }

    [Fact]
    public void AChainCutBackWithItsLastArchiveAfterAVerificationIsFound()
    {
        var archives = WriteHistory();
        Assert.Empty(Verify().Findings);
        WriteIndex(IndexLines()[..^2]); // the last archive's seal and entry
        File.Delete(archives[^1]);

        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ChainTruncated, _files.Index));
        Assert.Equal(ArchiveEntry(ArchiveCount - 1), findings[0].Entry);
    }

    [Fact]
    public void DamagedLinesOfTheActiveFileAreErrorsAndARepairedTornTailOnlyAWarning()
    {
        WriteHistory();
        var lines = File.ReadAllLines(_path).ToList();
        // A write torn by a crash stops at the end of a 4 KiB page of the file: here the fragment ends at byte 4096.
        var before = Encoding.UTF8.GetByteCount(lines[0]) + 1;
        const string start = "{\"ts\": \"2026-03-01T08:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"";
        lines.Insert(1, start + new string('x', 4096 - before - start.Length));
        lines.Insert(3, "not json at all");
        File.WriteAllText(_path, string.Join("\n", lines) + "\n");

        var (findings, summary) = Verify();

        Assert.Equal(
            [(IntegrityFindingKind.TornLine, IntegritySeverity.Warning, 2L), (IntegrityFindingKind.LineDamaged, IntegritySeverity.Error, 4L)],
            findings.Select(f => (f.Kind, f.Severity, f.Line!.Value)));
        Assert.Equal((1, 1), (summary.Errors, summary.Warnings));
    }

    [Theory]
    [MemberData(nameof(OddLines.Kinds), MemberType = typeof(OddLines))]
    public void TheVerifierFindsALineExactlyWhenAForwardReadReportsIt(string kind)
    {
        using var folder = new TempFolder();
        var path = OddLines.Write(folder, kind);
        var findings = new List<IntegrityFinding>();

        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = null })) log.Verify(null, findings.Add);

        var ofLines = findings.Where(f => f.Line is not null).Select(f => (f.Kind, f.Line!.Value)).ToList();
        if (OddLines.Report(kind) is { } report)
        {
            Assert.Equal([(IntegrityFindingKind.LineDamaged, OddLines.Number)], ofLines);
            if (kind == OddLines.OverLong) // in the words a read reports it with
                Assert.Equal($"Line {OddLines.Number} is not an event ({report.TrimEnd('.')}): it was possibly altered (a crash tears a line only at the end of a 4 KiB page).",
                    findings.Single(f => f.Line is not null).Message);
        }
        else
        {
            Assert.Empty(ofLines);
        }
    }

    [Fact]
    public void TheIndexEndsItsLinesAsTheLogDoesCarriageReturnsIncluded()
    {
        WriteHistory();
        File.WriteAllText(_files.Index, string.Join("\r\n", IndexLines()) + "\r\n\r\r\n");

        Assert.Empty(Verify().Findings);
    }

    [Fact]
    public void ATabOnlyLineOfTheIndexIsNotAnEntryAsInTheLog()
    {
        WriteHistory();
        WriteIndex([IndexLines()[0], "\t", .. IndexLines()[1..]]);

        var finding = Assert.Single(Verify().Findings);
        Assert.Equal((IntegrityFindingKind.IndexLineDamaged, 2L), (finding.Kind, finding.Line));
    }

    [Fact]
    public void QueriesGiveTheOriginalsArchivesHintsThatStayOutsideTheChain()
    {
        var archives = WriteHistory();
        File.Delete(_files.Index);
        using (var log = new AuditLog(_path)) Assert.Equal(ArchiveCount * 3 + 4, log.Query().Count());

        Assert.Equal(ArchiveCount, ArchiveIndex.ReadLines(_files).Count(l => l.Kind == IndexLineKind.Hint));
        Assert.Equal(ArchiveCount, Verify().Findings.Count(f => f.Kind == IntegrityFindingKind.ArchiveUnchained));
        Assert.Equal(archives.Count, ArchiveIndex.Read(_files).Count);
    }

    private static string FolderState(string folder) => string.Join("\n",
        Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)} {ChainKey.HexSha256(File.ReadAllBytes(f))}"));

    [Fact]
    public void RetentionRecordedInTheChainVerifiesAndQueriesReadWhatRemains()
    {
        var archives = WriteHistory();

        IReadOnlyList<ArchiveDescription> removed;
        using (var log = new AuditLog(_path)) removed = log.RemoveArchives(before: null, keep: 10, "test: keep 10", _ => true);
        var (findings, summary) = Verify();

        Assert.Equal(archives[..12], removed.Select(a => a.Path));
        Assert.All(archives[..12], a => Assert.False(File.Exists(a)));
        Assert.Empty(findings);
        Assert.Equal(("Verified", 10, 12), (summary.Status, summary.Archives, summary.Removed));
        using var reader = new AuditLog(_path);
        Assert.Equal(Enumerable.Range(12, 10).SelectMany(a => Enumerable.Range(0, 3).Select(e => (long?)(a * 10 + e))),
            reader.Query().Where(e => e.Event == "nav").Select(e => e.InputTokens));
    }

    [Fact]
    public void RetentionByTimeRemovesTheArchivesWhoseNewestEventIsOlder()
    {
        var archives = WriteHistory();

        IReadOnlyList<ArchiveDescription> removed;
        using (var log = new AuditLog(_path)) removed = log.RemoveArchives(Start.AddHours(5), keep: null, "test: before hour 5", _ => true);

        Assert.Equal(archives[..5], removed.Select(a => a.Path));
        Assert.Empty(Verify().Findings);
    }

    [Fact]
    public void RetentionDeclinedForEveryArchiveChangesNoFile()
    {
        WriteHistory();
        var before = FolderState(_folder.FullPath);
        var asked = 0;

        using (var log = new AuditLog(_path)) Assert.Empty(log.RemoveArchives(null, keep: 0, "declined", _ => { asked++; return false; }));

        Assert.Equal(ArchiveCount, asked);
        Assert.Equal(before, FolderState(_folder.FullPath));
    }

    [Fact]
    public void AnArchiveAlteredBeforeItsRecordedRemovalIsStillFound()
    {
        var archives = WriteHistory();
        var bytes = File.ReadAllBytes(archives[0]);
        bytes[^12] ^= 0x01;
        File.WriteAllBytes(archives[0], bytes);

        using (var log = new AuditLog(_path)) log.RemoveArchives(null, keep: ArchiveCount - 1, "hiding it", _ => true);
        var (findings, _) = Verify();

        AssertOnly(findings, (IntegrityFindingKind.ArchiveModified, archives[0]));
        Assert.Equal(2 * ArchiveCount, findings[0].Entry); // the removal's entry, after the 22 archives' seals and entries
    }

    [Fact]
    public void TheRetentionSettingRemovesOldArchivesAfterEachRotationAndRecordsIt()
    {
        var archives = new List<string>();
        using (var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null, Retention = new ArchiveRetention { Keep = 3 } }))
        {
            for (var a = 0; a < 5; a++)
            {
                log.Append(new LogEvent("nav", Start.AddHours(a), "s"));
                archives.Add(log.Rotate()!.Path);
            }
        }

        var (findings, summary) = Verify();

        Assert.Equal(archives[2..], Directory.GetFiles(_folder.FullPath, "*.gz").Order(StringComparer.Ordinal));
        Assert.Empty(findings);
        Assert.Equal((3, 2), (summary.Archives, summary.Removed));
        Assert.All(ArchiveIndex.ReadLines(_files).Where(l => l.Kind == IndexLineKind.Removal),
            l => Assert.Equal("the log's retention setting: remove archives beyond the newest 3", l.Reason));
    }

    private static byte[] Unzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }

    private static void Zip(string path, byte[] content)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal);
        gzip.Write(content);
    }
}

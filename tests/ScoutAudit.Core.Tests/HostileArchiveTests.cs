using System.Buffers.Binary;
using System.IO.Compression;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A gzip bomb named like an archive, dropped beside the log by anyone who can write its directory:
/// reported (ArchiveSuspicious), read no further than <see cref="ArchiveBounds"/> allows, not read
/// again by later queries of the process; the rest of the log is read, and honest archives, however
/// repetitive, are read in full.
/// </summary>
public class HostileArchiveTests
{
    private const string BombName = "audit_20260101_000000.jsonl.gz";
    private const long BombBytes = 1L << 30;

    /// <summary>1 GiB of zeros in one gzip member (about 1 MB, 1029:1; made once, in about a quarter of a second).</summary>
    private static readonly Lazy<byte[]> Bomb = new(() => Gzip(CompressionLevel.Optimal, stream =>
    {
        var zeros = new byte[1 << 20];
        for (var i = 0; i < BombBytes / zeros.Length; i++) stream.Write(zeros);
    }));

    private static byte[] Gzip(CompressionLevel level, Action<Stream> write)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, level, leaveOpen: true)) write(gzip);
        return compressed.ToArray();
    }

    private static AuditLog Open(TempFolder folder, IAuditDiagnostics? diagnostics = null) =>
        new(folder.File("audit.jsonl"), new AuditLogOptions { Diagnostics = diagnostics ?? NullAuditDiagnostics.Instance });

    private static LogEvent Numbered(int n, string? reason = null) =>
        new("nav", Events.Start.AddSeconds(n), "s") { InputTokens = n, Reason = reason };

    /// <summary>A log of an archive (events 0 to 9) and an active file (events 10 and 11).</summary>
    private static void WriteLog(TempFolder folder)
    {
        using var log = Open(folder);
        for (var i = 0; i < 10; i++) log.Append(Numbered(i));
        log.Rotate();
        log.Append(Numbered(10));
        log.Append(Numbered(11));
    }

    private static (List<long> Tokens, RecordingDiagnostics Diagnostics) Query(TempFolder folder)
    {
        var diagnostics = new RecordingDiagnostics();
        using var log = Open(folder, diagnostics);
        return (log.Query().Select(e => e.InputTokens!.Value).ToList(), diagnostics);
    }

    private static SuspiciousArchiveException SuspicionOf(AuditDiagnostic report) => Assert.IsType<SuspiciousArchiveException>(report.Exception);

    /// <summary>
    /// The module's own archive of events each carrying 1 MB of one character compresses past 768:1
    /// honestly (TornWriteTests writes such events): its index entry's recorded length bounds it,
    /// not the ratio, and every event is read.
    /// </summary>
    [Fact]
    public void AnArchiveOfTheModulesOwnPastTheRatioIsReadInFullByItsIndexedLength()
    {
        using var folder = new TempFolder();
        using (var log = Open(folder))
        {
            for (var i = 0; i < 12; i++) log.Append(Numbered(i, new string('x', 1_000_000)));
            var archive = log.Rotate()!;
            Assert.True(archive.UncompressedBytes > ArchiveBounds.MaxRatio * archive.CompressedBytes, "the archive is past the ratio");
        }

        var (tokens, diagnostics) = Query(folder);

        Assert.Equal(Enumerable.Range(0, 12).Select(n => (long)n), tokens);
        Assert.Empty(diagnostics.Problems);
    }

    [Fact]
    public void AGzipBombBesideTheLogIsReportedStoppedAtItsLimitAndTheRestOfTheLogIsRead()
    {
        using var folder = new TempFolder();
        WriteLog(folder);
        var bomb = folder.File(BombName);
        File.WriteAllBytes(bomb, Bomb.Value);

        var (tokens, diagnostics) = Query(folder);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), tokens);
        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveSuspicious));
        Assert.Equal(bomb, report.Path);
        Assert.Contains($"The archive '{bomb}' is suspicious", report.Message);
        Assert.Contains($"its gzip trailer announces {BombBytes} bytes", report.Message);
        Assert.Contains($"at most {ArchiveBounds.MaxRatio} times its size ({ArchiveBounds.LimitFor(Bomb.Value.Length)} bytes for this one)", report.Message);
        Assert.Contains("none of its events from there on are returned", report.Message);
        var suspicion = SuspicionOf(report);
        Assert.False(suspicion.IsRecalled);
        // Stopped by the ratio within its first mebibytes: nowhere near its gigabyte, nor even its limit.
        Assert.InRange(suspicion.Produced!.Value, ArchiveBounds.Floor + 1, 16L << 20);
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));
    }

    [Fact]
    public void ALaterQueryReportsTheBombAgainWithoutReadingIt()
    {
        using var folder = new TempFolder();
        WriteLog(folder);
        var bomb = folder.File(BombName);
        File.WriteAllBytes(bomb, Bomb.Value);
        Assert.Single(Query(folder).Diagnostics.Of(AuditDiagnosticKind.ArchiveSuspicious));

        // The same file (inode, size, time) with other bytes: read, it would be damaged, not a bomb.
        var modified = File.GetLastWriteTimeUtc(bomb);
        using (var file = new FileStream(bomb, FileMode.Open, FileAccess.Write)) file.Write(new byte[Bomb.Value.Length]);
        File.SetLastWriteTimeUtc(bomb, modified);

        var (tokens, diagnostics) = Query(folder);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), tokens);
        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveSuspicious));
        Assert.True(SuspicionOf(report).IsRecalled);
        Assert.Contains("None of its events are returned: it was found so earlier in this session and is not read again", report.Message);
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));

        // Changed since (another time): judged anew, and now it is what it is.
        File.SetLastWriteTimeUtc(bomb, modified.AddMinutes(1));
        var (_, anew) = Query(folder);
        Assert.Empty(anew.Of(AuditDiagnosticKind.ArchiveSuspicious));
        Assert.Equal(bomb, Assert.Single(anew.Of(AuditDiagnosticKind.ArchiveDamaged)).Path);
    }

    [Fact]
    public void ABombWhoseTrailerAnnouncesLittleIsStoppedAllTheSame()
    {
        using var folder = new TempFolder();
        WriteLog(folder);
        var bomb = folder.File(BombName);
        var lying = (byte[])Bomb.Value.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(lying.Length - 4), 100);
        File.WriteAllBytes(bomb, lying);

        var (tokens, diagnostics) = Query(folder);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), tokens);
        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveSuspicious));
        Assert.Equal(bomb, report.Path);
        Assert.Contains("its gzip trailer announces 100 bytes", report.Message);
        Assert.InRange(SuspicionOf(report).Produced!.Value, ArchiveBounds.Floor + 1, 16L << 20);
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));
    }

    [Fact]
    public void AnArchiveHoldingMoreThanItsTrailerAnnouncesIsReadThroughAndReportedDamaged()
    {
        // A trailer cannot tell a lie from a flipped bit or a cut (an archive cut short ends in deflate
        // bytes): within the ratio, every readable event is read, and the mismatch is damage.
        using var folder = new TempFolder();
        WriteLog(folder);
        var lines = Enumerable.Range(100, 1000).Select(n => AuditLineFormatter.Format(Numbered(n))).ToArray();
        var archive = Gzip(CompressionLevel.Optimal, stream => { foreach (var line in lines) stream.Write(line); });
        BinaryPrimitives.WriteUInt32LittleEndian(archive.AsSpan(archive.Length - 4), 1000);
        var liar = folder.File(BombName);
        File.WriteAllBytes(liar, archive);

        var (tokens, diagnostics) = Query(folder);

        // Far past the 1000 bytes announced (about 10 lines); zlib's own length check at the end costs the last block, as before.
        var fromLiar = tokens.TakeWhile(n => n >= 100).ToList();
        Assert.Equal(Enumerable.Range(100, fromLiar.Count).Select(i => (long)i), fromLiar);
        Assert.InRange(fromLiar.Count, 500, 1000);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), tokens.Skip(fromLiar.Count));
        Assert.Equal(liar, Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged)).Path);
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.ArchiveSuspicious));
    }

    [Fact]
    public void AnArchiveHoldingMoreThanItsIndexEntryRecordsIsStoppedThereAsDamaged()
    {
        using var folder = new TempFolder();
        var archive = folder.File("archive.jsonl.gz");
        var lines = Enumerable.Range(0, 100).SelectMany(n => AuditLineFormatter.Format(Numbered(n))).ToArray();
        File.WriteAllBytes(archive, Gzip(CompressionLevel.Optimal, stream => stream.Write(lines)));
        var buffer = new byte[lines.Length + 1];

        using (var file = File.OpenRead(archive))
        using (var whole = ArchiveBounds.Open(archive, file, indexedLength: lines.Length))
            Assert.Equal(lines.Length, whole.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        using (var file = File.OpenRead(archive))
        using (var longer = ArchiveBounds.Open(archive, file, indexedLength: lines.Length - 10))
        {
            Assert.Equal(lines.Length - 10, longer.ReadAtLeast(buffer, lines.Length - 10));
            var error = Assert.Throws<InvalidDataException>(() => longer.ReadAtLeast(buffer, 1));
            Assert.Equal($"it holds more than the {lines.Length - 10} bytes its index entry records (not the archive the index describes)", error.Message);
            Assert.Null(ArchiveBounds.SuspicionIn(error)); // damage, not a bomb: the entry is trusted, and the read stops at its length
        }
    }

    [Fact]
    public void TheMostRepetitiveArchivesMeasuredAreReadInFull()
    {
        using var folder = new TempFolder();
        // The contrived worst of tests/ScoutAudit.Benchmarks/archive-ratios.ps1: a run of one character in
        // every event, 20 events a millisecond (the most a run's distance-1 matches and repeated lines give).
        var run = new string('x', 4000);
        static LogEvent Repeated(int n, string? reason) => new("nav", Events.Start.AddMilliseconds(n / 20), "489bc1fd-871f-4f8d-8906-1a40ac9743a3") { Reason = reason };
        using (var log = Open(folder))
        {
            for (var i = 0; i < 5000; i++) log.Append(Repeated(i, run));
            log.Rotate();
            for (var i = 0; i < 20000; i++) log.Append(Repeated(i, null)); // bare events: the most repetitive realistic log
            log.Rotate();
        }
        // As the original compresses them (zlib level 9), which packs them tighter than the module.
        var lines = Enumerable.Range(0, 5000).Select(n => AuditLineFormatter.Format(Repeated(n, run))).ToArray();
        var original = Gzip(CompressionLevel.SmallestSize, stream => { foreach (var line in lines) stream.Write(line); });
        Assert.InRange(lines.Sum(l => (long)l.Length) / original.Length, 600, ArchiveBounds.MaxRatio - 1);
        File.WriteAllBytes(folder.File(BombName), original);

        var diagnostics = new RecordingDiagnostics();
        List<LogEvent> read;
        using (var log = Open(folder, diagnostics)) read = log.Query().ToList();

        Assert.Equal(30000, read.Count);
        Assert.Equal(10000, read.Count(e => e.Reason == run));
        Assert.Empty(diagnostics.Problems);
    }

    [Fact]
    public void TheVerifierReportsTheBombAsAnErrorWithoutReadingItThrough()
    {
        using var folder = new TempFolder();
        WriteLog(folder);
        var bomb = folder.File(BombName);
        File.WriteAllBytes(bomb, Bomb.Value);
        var findings = new List<IntegrityFinding>();

        LogVerificationSummary summary;
        using (var log = Open(folder)) summary = log.Verify(null, findings.Add, record: false);

        var finding = Assert.Single(findings, f => f.Path == bomb);
        Assert.Equal(IntegrityFindingKind.ArchiveSuspicious, finding.Kind);
        Assert.Equal(IntegritySeverity.Error, finding.Severity);
        Assert.Contains($"its gzip trailer announces {BombBytes} bytes", finding.Message);
        Assert.Equal($"at most {ArchiveBounds.LimitFor(Bomb.Value.Length)} bytes decompressed ({ArchiveBounds.MaxRatio} times its size)", finding.Expected);
        Assert.StartsWith("more than ", finding.Actual);
        Assert.True(summary.Errors >= 1);
    }

    [Fact]
    public void AdoptingLeavesTheBombOutAndSaysWhy()
    {
        using var folder = new TempFolder();
        WriteLog(folder);
        var bomb = folder.File(BombName);
        File.WriteAllBytes(bomb, Bomb.Value);
        var skipped = new List<(string Path, Exception Error)>();

        using var log = Open(folder);
        var adopted = log.Adopt(_ => true, (path, error) => skipped.Add((path, error)));

        Assert.DoesNotContain(adopted, a => a.Path == bomb);
        var (path, error) = Assert.Single(skipped);
        Assert.Equal(bomb, path);
        Assert.NotNull(ArchiveBounds.SuspicionIn(error));
        Assert.StartsWith($"The archive '{bomb}' is suspicious", error.Message);
    }
}

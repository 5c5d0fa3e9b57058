using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class RotationTests
{
    private static AuditLog Open(TempFolder folder, long? rotationSize = null, TimeProvider? time = null, IAuditDiagnostics? diagnostics = null) =>
        new(folder.File("audit.jsonl"), new AuditLogOptions
        {
            RotationSize = rotationSize,
            Time = time ?? TimeProvider.System,
            Diagnostics = diagnostics ?? NullAuditDiagnostics.Instance,
        });

    private static LogEvent Numbered(int n, DateTimeOffset? when = null) =>
        new("nav", when ?? Events.Start.AddSeconds(n), "s") { InputTokens = n, Reason = "padding to make lines of a realistic length" };

    private static string[] FilesIn(TempFolder folder) =>
        Directory.GetFiles(folder.FullPath).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    [Fact]
    public void TheActiveFileIsArchivedWhenItReachesTheRotationSize()
    {
        using var folder = new TempFolder();
        using (var log = Open(folder, rotationSize: 4096))
        {
            for (var i = 0; i < 200; i++) log.Append(Numbered(i));
        }

        var archives = FilesIn(folder).Where(f => f.EndsWith(".jsonl.gz", StringComparison.Ordinal)).ToArray();
        Assert.InRange(archives.Length, 5, 200);
        Assert.All(archives, a => Assert.Matches(@"^audit_\d{8}_\d{6}(_\d{4})?\.jsonl\.gz$", a));
        Assert.DoesNotContain(FilesIn(folder), f => f.EndsWith(".tmp", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(f, @"_\d{6}(_\d{4})?\.jsonl$"));
        // Each archive holds whole lines; together with the active file, every event once, in order.
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), Events.ReadAll(folder.File("audit.jsonl")).Select(e => e.InputTokens!.Value));
        Assert.All(archives, a => Assert.EndsWith("\n", Encoding.UTF8.GetString(Gunzip(folder.File(a)))));
    }

    [Fact]
    public void RotateArchivesTheActiveFileAndDescribesTheArchive()
    {
        using var folder = new TempFolder();
        using var log = Open(folder);
        for (var i = 0; i < 10; i++) log.Append(Numbered(i));
        var lines = File.ReadAllBytes(log.Path);

        var archive = log.Rotate();

        Assert.NotNull(archive);
        Assert.Equal(lines, Gunzip(archive.Path)); // zcat gives back the exact lines
        Assert.Equal((10L, (long)lines.Length), (archive.Lines!.Value, archive.UncompressedBytes!.Value));
        Assert.Equal((Events.Start, Events.Start.AddSeconds(9)), (archive.FirstTimestamp!.Value, archive.LastTimestamp!.Value));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(archive.Path))).ToLowerInvariant(), archive.Sha256);
        Assert.Equal(new FileInfo(archive.Path).Length, archive.CompressedBytes);
        Assert.False(File.Exists(log.Path));
        Assert.Equal([archive], log.Archives());

        log.Append(Numbered(10));
        Assert.Equal(11, log.Query().Count());
    }

    [Fact]
    public void RotatingAnEmptyLogArchivesNothing()
    {
        using var folder = new TempFolder();
        using var log = Open(folder);
        Assert.Null(log.Rotate());
        Assert.Empty(log.Archives());
    }

    [Fact]
    public void ManyRotationsInOneSecondKeepEveryEvent()
    {
        // The original names archives to the second and overwrites: it lost 2,644 of 3,000 events here.
        using var folder = new TempFolder();
        var frozen = new TestClock(new DateTimeOffset(2026, 2, 13, 14, 30, 22, TimeSpan.Zero));
        using (var log = Open(folder, rotationSize: 600, time: frozen))
        {
            for (var i = 0; i < 3000; i++) log.Append(Numbered(i));
        }
        var archives = FilesIn(folder).Where(f => f.EndsWith(".jsonl.gz", StringComparison.Ordinal)).ToList();
        Assert.True(archives.Count > 100, $"{archives.Count} archives");
        Assert.Equal("audit_20260213_143022_0001.jsonl.gz", archives[0]); // never the bare name the original would write over
        Assert.Equal("audit_20260213_143022_0002.jsonl.gz", archives[1]);
        Assert.Equal(archives.Order(StringComparer.Ordinal), archives); // names sort in rotation order
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), Events.ReadAll(folder.File("audit.jsonl")).Select(e => e.InputTokens!.Value));
    }

    [Fact]
    public void ANewNameSortsAfterEveryExistingOneEvenWhenTheClockGoesBack()
    {
        var existing = new[] { new ArchiveName(new DateTime(2026, 2, 13, 14, 30, 22, DateTimeKind.Utc), 3) };
        var earlier = new DateTimeOffset(2026, 2, 13, 14, 0, 0, TimeSpan.Zero);
        Assert.Equal(existing[0] with { Sequence = 4 }, ArchiveName.Next(earlier, existing));
        var later = new DateTimeOffset(2026, 2, 13, 15, 0, 0, 500, TimeSpan.Zero);
        Assert.Equal(new ArchiveName(new DateTime(2026, 2, 13, 15, 0, 0, DateTimeKind.Utc), 1), ArchiveName.Next(later, existing));
        Assert.Equal("audit_20260213_143022_0004", ArchiveName.Next(earlier, existing).BaseName("audit"));
    }

    [Fact]
    public void ATimeRangeReadsNoArchiveOutsideItAndTheIndexOnlyDecidesSpeed()
    {
        using var folder = new TempFolder();
        using (var log = Open(folder))
        {
            for (var day = 0; day < 5; day++)
            {
                for (var i = 0; i < 20; i++) log.Append(Numbered(i, Events.Start.AddDays(day).AddMinutes(i)));
                log.Rotate();
            }
            for (var i = 0; i < 5; i++) log.Append(Numbered(i, Events.Start.AddDays(5).AddMinutes(i)));
        }
        var window = new EventFilter { Since = Events.Start.AddDays(3), Until = Events.Start.AddDays(4) };

        var diagnostics = new RecordingDiagnostics();
        List<LogEvent> withIndex;
        using (var log = Open(folder, diagnostics: diagnostics)) withIndex = log.Query(window).ToList();
        Assert.Equal(20, withIndex.Count);
        var read = diagnostics.Of(AuditDiagnosticKind.SegmentRead).Select(d => Path.GetFileName(d.Path)).ToList();
        Assert.Equal(["audit_" , "audit.jsonl"], read.Select(r => r.StartsWith("audit_", StringComparison.Ordinal) ? "audit_" : r));
        Assert.Equal(4, diagnostics.Of(AuditDiagnosticKind.ArchiveSkipped).Count);

        // Without the index, or with a damaged or stale one, the same answer by scanning.
        var index = folder.File("audit.index.jsonl");
        var original = File.ReadAllText(index);
        foreach (var damaged in new[] { null, "garbage\n{\"archive\": 1}\n", original.Replace("\"gz_bytes\":", "\"gz_bytes\":1"), original[..(original.Length / 2)] })
        {
            if (damaged is null) File.Delete(index);
            else File.WriteAllText(index, damaged);
            var scanning = new RecordingDiagnostics();
            using var log = Open(folder, diagnostics: scanning);
            Assert.Equal(withIndex.Select(e => e.InputTokens), log.Query(window).Select(e => e.InputTokens));
            Assert.Empty(scanning.Problems);
        }
    }

    [Fact]
    public void ArchivesMadeByTheOriginalAreRead()
    {
        // Files as the original leaves them after rotating: archives to the second, no index.
        using var folder = new TempFolder();
        var first = AuditLineFormatter.Format(Numbered(1));
        var second = AuditLineFormatter.Format(Numbered(2));
        using (var gzip = new GZipStream(File.Create(folder.File("audit_20260213_140000.jsonl.gz")), CompressionLevel.SmallestSize))
            gzip.Write(first);
        using (var gzip = new GZipStream(File.Create(folder.File("audit_20260213_150000.jsonl.gz")), CompressionLevel.SmallestSize))
            gzip.Write(second);
        File.WriteAllBytes(folder.File("audit.jsonl"), AuditLineFormatter.Format(Numbered(3)));

        using var log = Open(folder);
        Assert.All(log.Archives(), a => Assert.Null(a.Lines));
        Assert.Equal([1L, 2L, 3L], log.Query().Select(e => e.InputTokens!.Value));
        // The first read indexed them, as ScoutAudit's own.
        Assert.Equal([1L, 1L], log.Archives().Select(a => a.Lines!.Value));
        Assert.Equal([1L, 2L, 3L], log.Query().Select(e => e.InputTokens!.Value));
    }

    [Fact]
    public void ADamagedArchiveYieldsItsReadablePartAndTheQueryGoesOn()
    {
        using var folder = new TempFolder();
        using (var log = Open(folder))
        {
            for (var i = 0; i < 3000; i++) log.Append(Numbered(i));
            log.Rotate();
            for (var i = 3000; i < 3010; i++) log.Append(Numbered(i));
            log.Rotate();
            log.Append(Numbered(9999));
        }
        var archives = FilesIn(folder).Where(f => f.EndsWith(".gz", StringComparison.Ordinal)).Select(f => folder.File(f)).ToArray();
        var bytes = File.ReadAllBytes(archives[0]);

        foreach (var damage in new[] { "truncated", "corrupt" })
        {
            var damaged = damage == "truncated" ? bytes[..(bytes.Length / 2)] : [.. bytes[..(bytes.Length / 2)], .. Enumerable.Repeat((byte)0xA5, 64), .. bytes[(bytes.Length / 2 + 64)..]];
            File.WriteAllBytes(archives[0], damaged);
            var diagnostics = new RecordingDiagnostics();
            using var log = Open(folder, diagnostics: diagnostics);
            var read = log.Query().Select(e => e.InputTokens!.Value).ToList();

            var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));
            Assert.Equal(archives[0], report.Path);
            Assert.StartsWith($"The archive '{archives[0]}' is damaged after line", report.Message);
            Assert.InRange(read.Count(n => n < 3000), 1, 2999); // the readable part
            if (damage == "truncated") // exactly the lines before the cut (corrupt deflate data may decode to plausible lines before the damage shows)
                Assert.Equal(Enumerable.Range(0, read.Count(n => n < 3000)).Select(i => (long)i), read.Where(n => n < 3000));
            Assert.Equal([.. Enumerable.Range(3000, 10).Select(i => (long)i), 9999L], read.Where(n => n >= 3000)); // the rest goes on
        }
    }

    [Fact]
    public void AnEmptyOrForeignFileWithAnArchiveNameIsReportedNotThrown()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("audit_20260213_140000.jsonl.gz"), "not gzip at all");
        File.WriteAllBytes(folder.File("audit.jsonl"), AuditLineFormatter.Format(Numbered(3)));
        var diagnostics = new RecordingDiagnostics();
        using var log = Open(folder, diagnostics: diagnostics);
        Assert.Equal([3L], log.Query().Select(e => e.InputTokens!.Value));
        Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));
    }

    [Fact]
    public void NewArchivesAndTheIndexAreForTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        using var log = Open(folder);
        log.Append(Numbered(1));
        var archive = log.Rotate()!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.File("audit.index.jsonl")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.File("audit.jsonl.lock")));
    }

    [Fact]
    public void ARotationSizeBelowOneByteIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AuditLogOptions { RotationSize = 0 });
        Assert.StartsWith("The rotation size must be at least 1 byte, or none; got 0.", error.Message);
    }

    [Fact]
    public async Task AnIdleWriterDoesNotHoldUpARotationElsewhere()
    {
        // The idle writer keeps its file open; its lease on the append lock ends by itself.
        using var folder = new TempFolder();
        using var idle = Open(folder);
        idle.Append(Numbered(1));
        using var other = Open(folder);
        var archive = await Task.Run(() => other.Rotate()).WaitAsync(TimeSpan.FromSeconds(10)); // throws TimeoutException if it waited for the idle writer
        Assert.NotNull(archive);

        idle.Append(Numbered(2)); // reopens the new active file
        Assert.Equal([1L, 2L], other.Query().Select(e => e.InputTokens!.Value));
        Assert.Single(File.ReadAllLines(folder.File("audit.jsonl")));
    }

    /// <summary>
    /// The original tool rotates a log by reading the active file, gzipping what it read and
    /// deleting the file, with no lock that ScoutAudit's writers know of. What a ScoutAudit writer
    /// appends between that read and that delete, and after the delete within the lease it holds,
    /// is only in the deleted file: the next lease finds the path gone, and carries those lines into
    /// the new file before it appends. about_ScoutAuditDurability states this; this test pins it step by step.
    /// </summary>
    [Fact]
    public void WhenTheOriginalRotatesUnderAWriterTheLinesAfterItsReadAreCarriedIntoTheNewFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var time = new TestClock(); // the lease ends only when the test moves the clock
        var diagnostics = new RecordingDiagnostics();
        using (var log = new AuditLog(path, new AuditLogOptions { Time = time, RotationSize = null, Diagnostics = diagnostics }))
        {
            log.Append(Numbered(0));
            log.Append(Numbered(1));
            var read = File.ReadAllBytes(path); // the original reads the active file...
            log.Append(Numbered(2)); // ...ScoutAudit appends after that read
            using (var archive = new GZipStream(File.Create(folder.File("audit_20260213_150000.jsonl.gz")), CompressionLevel.Fastest))
                archive.Write(read); // ...the original archives what it read
            File.Delete(path); // ...and deletes the file
            log.Append(Numbered(3)); // within the same lease, to the deleted file
            time.Advance(AppendLease.Duration + TimeSpan.FromMilliseconds(1)); // the lease ends
            log.Append(Numbered(4)); // the next lease finds the path gone, carries 2 and 3, then appends
        }

        using var reader = new AuditLog(path);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], reader.Query().Select(e => e.InputTokens!.Value));
        Assert.Contains("2 line(s)", Assert.Single(diagnostics.Of(AuditDiagnosticKind.LinesCarried)).Message);
    }

    /// <summary>A writer closed without another append after the original deleted its file carries its lines at close.</summary>
    [Fact]
    public void AWriterClosedAfterTheOriginalsRotationCarriesItsLastLines()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = null }))
        {
            log.Append(Numbered(0));
            var read = File.ReadAllBytes(path);
            log.Append(Numbered(1));
            using (var archive = new GZipStream(File.Create(folder.File("audit_20260213_150000.jsonl.gz")), CompressionLevel.Fastest))
                archive.Write(read);
            File.Delete(path);
            File.WriteAllText(path, ""); // the original begins its new file
        }

        using var reader = new AuditLog(path);
        Assert.Equal([0L, 1L], reader.Query().Select(e => e.InputTokens!.Value));
    }

    /// <summary>A file deleted otherwise than by the original's rotation (no archive holds its beginning) is not brought back.</summary>
    [Fact]
    public void AFileDeletedWithoutAnArchiveIsNotBroughtBack()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var time = new TestClock();
        using (var log = new AuditLog(path, new AuditLogOptions { Time = time, RotationSize = null }))
        {
            log.Append(Numbered(0));
            File.Delete(path);
            time.Advance(AppendLease.Duration + TimeSpan.FromMilliseconds(1));
            log.Append(Numbered(1));
        }

        using var reader = new AuditLog(path);
        Assert.Equal([1L], reader.Query().Select(e => e.InputTokens!.Value));
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Sidecars are hints that cannot hide data (issue 22): a tamperer who may write in the log's
/// directory, but not as its owner, appends a hint to the archive index or edits the time range of
/// a block in <c>.blocks</c>, and a time window's events and spend stay what the log's bytes give,
/// while Test-ScoutAuditLog names the sidecar that disagrees with them.
/// </summary>
public sealed class SidecarTests : IDisposable
{
    private const int ArchiveCount = 6;
    private const int ActiveEvents = 400;
    private const int SmallBlocks = 512;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ActiveStart = Start.AddHours(ArchiveCount);

    /// <summary>Archives 3 to 5 and the first half of the active file; its second half lies after it.</summary>
    private static readonly EventFilter Window = new() { Since = Start.AddHours(3), Until = ActiveStart.AddSeconds(ActiveEvents * 10 / 2) };

    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly LogFiles _files;

    public SidecarTests()
    {
        _path = _folder.File("audit.jsonl");
        _files = new LogFiles(_path);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// <see cref="ArchiveCount"/> chained archives of three events an hour apart (each costing 0.01),
    /// then <see cref="ActiveEvents"/> events ten seconds apart in the active file (each 0.001).
    /// </summary>
    private List<string> WriteHistory()
    {
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null, SyncPolicy = new SyncPolicy { Mode = SyncMode.None } });
        var archives = new List<string>();
        for (var a = 0; a < ArchiveCount; a++)
        {
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddHours(a).AddSeconds(e), "s") { Cost = 0.01, InputTokens = a * 10 + e });
            archives.Add(log.Rotate()!.Path);
        }
        for (var e = 0; e < ActiveEvents; e++) log.Append(new LogEvent("deep", ActiveStart.AddSeconds(e * 10), "s") { Cost = 0.001, InputTokens = 1000 + e });
        return archives;
    }

    /// <summary>What a window query and the window's spend give, as one text; <paramref name="blockBytes"/> 0 reads the active file whole.</summary>
    private string Answer(int blockBytes = SmallBlocks, RecordingDiagnostics? diagnostics = null)
    {
        using var log = new AuditLog(_path, new AuditLogOptions { TimeBlockBytes = blockBytes, Diagnostics = diagnostics ?? new RecordingDiagnostics() });
        var events = log.Query(Window).Select(e => $"{UtcTimestamp.Format(e.Timestamp)} {e.Event} {e.InputTokens}").ToList();
        var spend = Assert.Single(log.Spend(Window));
        return $"{events.Count} events, spend {spend.Cost} over {spend.Events} events, {spend.InputTokens} input tokens:\n{string.Join("\n", events)}";
    }

    private (List<IntegrityFinding> Findings, LogVerificationSummary Summary) Verify()
    {
        var findings = new List<IntegrityFinding>();
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        var summary = log.Verify(null, findings.Add);
        return (findings, summary);
    }

    /// <summary>
    /// Appends an unchained line describing <paramref name="archive"/> as holding events of 2020 only,
    /// with its true size (so that a size check does not give it away), as a tamperer would to hide
    /// it from a window. Returns the line's number in the index.
    /// </summary>
    private int AppendFalseHint(string archive)
    {
        var name = Path.GetFileName(archive);
        var truth = ArchiveWriter.DescribeArchive(archive, CancellationToken.None);
        var hint = new JsonObject
        {
            ["archive"] = name,
            ["first_ts"] = "2020-01-01T00:00:00.000Z",
            ["last_ts"] = "2020-01-01T00:00:02.000Z",
            ["lines"] = truth.Lines,
            ["bytes"] = truth.UncompressedBytes,
            ["gz_bytes"] = truth.CompressedBytes,
            ["sha256"] = truth.Sha256,
        };
        File.AppendAllText(_files.Index, hint.ToJsonString() + "\n");
        return File.ReadAllLines(_files.Index).Length;
    }

    /// <summary>
    /// Rewrites the time range of the first clean block of <c>.blocks</c> that holds events of the
    /// window so that it claims an hour of 2020. Returns the line's number in the sidecar, and the
    /// block's offset and length in the active file.
    /// </summary>
    private (int Line, long Offset, long Length) EditBlockInTheWindow()
    {
        var lines = File.ReadAllLines(_files.TimeBlocks);
        var since = Window.Since!.Value.UtcTicks;
        var until = Window.Until!.Value.UtcTicks;
        for (var i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            long Number(int at) => long.Parse(parts[at], CultureInfo.InvariantCulture);
            if (parts[5] != "1" || Number(3) < since || Number(4) >= until) continue;
            parts[3] = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks.ToString(CultureInfo.InvariantCulture);
            parts[4] = new DateTimeOffset(2020, 1, 1, 1, 0, 0, TimeSpan.Zero).UtcTicks.ToString(CultureInfo.InvariantCulture);
            lines[i] = string.Join(' ', parts);
            File.WriteAllText(_files.TimeBlocks, string.Join("\n", lines) + "\n");
            return (i + 1, Number(0), Number(1));
        }
        throw new InvalidOperationException("no clean block of .blocks lies inside the window");
    }

    /// <summary>The <c>ts</c> of the active file's line that starts at <paramref name="offset"/>.</summary>
    private string FirstTimeAt(long offset)
    {
        using var file = File.OpenRead(_path);
        file.Position = offset;
        var line = new StreamReader(file).ReadLine()!;
        return JsonNode.Parse(line)!["ts"]!.GetValue<string>();
    }

    /// <summary>What a file others of its group may edit looks like (Linux facts only use it).</summary>
    private static void MakeGroupWritable(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    }

    private static string FolderState(string folder) => string.Join("\n",
        Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)} {ChainKey.HexSha256(File.ReadAllBytes(f))}"));

    [Fact]
    public void AHintAppendedForAChainedArchiveChangesNoAnswerAndIsReported()
    {
        var archives = WriteHistory();
        var before = Answer();
        Assert.Contains(" nav 30", before); // archive 3 is in the window

        var line = AppendFalseHint(archives[3]);
        var after = Answer();
        var (findings, summary) = Verify();

        Assert.Equal(before, after);
        var finding = Assert.Single(findings);
        Assert.Equal((IntegrityFindingKind.SidecarInconsistent, IntegritySeverity.Warning, _files.Index, (long?)line),
            (finding.Kind, finding.Severity, finding.Path, finding.Line));
        Assert.Contains(Path.GetFileName(archives[3]), finding.Message);
        Assert.Contains("2020-01-01T00:00:00.000Z", finding.Actual);
        Assert.Contains("2026-03-01T11:00:00.000Z", finding.Expected);
        Assert.Contains("answers do not depend on it", finding.Message);
        Assert.Equal(("Verified", 0, 1), (summary.Status, summary.Errors, summary.Warnings));
    }

    /// <summary>The original's archives, described by hints a query added, one hint then forged in an index others can write.</summary>
    private (string Before, int Line, string IndexBytes) ForgeAHintOfTheOriginalsArchive(Action<string> handOver)
    {
        var archives = WriteHistory();
        File.Delete(_files.Index); // as the original leaves its log: archives, no index
        var before = Answer(blockBytes: 0);
        Assert.Equal(ArchiveCount, ArchiveIndex.ReadLines(_files).Count(l => l.Kind == IndexLineKind.Hint));
        var line = AppendFalseHint(archives[3]);
        handOver(_files.Index);
        return (before, line, ChainKey.HexSha256(File.ReadAllBytes(_files.Index)));
    }

    [LinuxFact]
    public void AFalseHintForTheOriginalsArchiveInAGroupWritableIndexChangesNoAnswerAndNoHintIsAdded()
    {
        var (before, line, indexBytes) = ForgeAHintOfTheOriginalsArchive(MakeGroupWritable);

        var after = Answer(blockBytes: 0);
        var (findings, _) = Verify();

        Assert.Equal(before, after);
        Assert.Equal(indexBytes, ChainKey.HexSha256(File.ReadAllBytes(_files.Index))); // nothing appended to an index it does not trust
        var finding = Assert.Single(findings, f => f.Kind == IntegrityFindingKind.SidecarInconsistent);
        Assert.Equal(line, finding.Line);
    }

    [PrivilegedFact]
    public void AFalseHintForTheOriginalsArchiveInAnIndexOfAnotherUserChangesNoAnswerAndNoHintIsAdded()
    {
        var (before, line, indexBytes) = ForgeAHintOfTheOriginalsArchive(index => Privileged.ChangeOwner(index, Privileged.Nobody));

        var after = Answer(blockBytes: 0);
        var (findings, _) = Verify();

        Assert.Equal(before, after);
        Assert.Equal(indexBytes, ChainKey.HexSha256(File.ReadAllBytes(_files.Index)));
        Assert.Equal(line, Assert.Single(findings, f => f.Kind == IntegrityFindingKind.SidecarInconsistent).Line);
    }

    [Fact]
    public void TheOwnersOwnIndexStillLetsQueriesSkipTheOriginalsArchivesByTime()
    {
        WriteHistory();
        File.Delete(_files.Index);
        Answer(blockBytes: 0); // reads them all, and indexes them

        var diagnostics = new RecordingDiagnostics();
        Answer(blockBytes: 0, diagnostics);

        Assert.Equal(6, diagnostics.Of(AuditDiagnosticKind.ArchiveSkipped).Count); // archives 0 to 2, by the query and by the spend
    }

    [PrivilegedFact]
    public void AQueryWritesNothingInADirectoryOfAnotherUser()
    {
        WriteHistory();
        File.Delete(_files.Index);
        File.Delete(_files.TimeBlocks);
        var expected = Answer(blockBytes: 0);
        File.Delete(_files.Index);
        Privileged.ChangeOwner(_folder.FullPath, Privileged.Nobody);
        var before = FolderState(_folder.FullPath);

        var answer = Answer();

        Assert.Equal(expected, answer);
        Assert.Equal(before, FolderState(_folder.FullPath)); // no index of hints, no .blocks
    }

    /// <summary>A window query summarised the active file's blocks; then one block's range was edited and the file handed over.</summary>
    private (string Before, int Line, long Offset, long Length) EditABlockOfTheWindow(Action<string> handOver)
    {
        WriteHistory();
        var before = Answer();
        Assert.Equal(Answer(blockBytes: 0), before);
        Assert.True(File.Exists(_files.TimeBlocks));
        var (line, offset, length) = EditBlockInTheWindow();
        handOver(_files.TimeBlocks);
        return (before, line, offset, length);
    }

    private void AssertTheBlockIsReported(List<IntegrityFinding> findings, LogVerificationSummary summary, int line, long offset, long length)
    {
        var finding = Assert.Single(findings);
        Assert.Equal((IntegrityFindingKind.SidecarInconsistent, IntegritySeverity.Warning, _files.TimeBlocks, (long?)line),
            (finding.Kind, finding.Severity, finding.Path, finding.Line));
        Assert.Contains($"bytes {offset} to {offset + length}", finding.Message);
        Assert.Contains("2020-01-01T00:00:00.000Z", finding.Actual);
        Assert.Contains(FirstTimeAt(offset), finding.Expected); // the events are in time order: the block's first is its earliest
        Assert.Equal(("Verified", 0, 1), (summary.Status, summary.Errors, summary.Warnings));
    }

    [LinuxFact]
    public void AnEditedBlockRangeInAGroupWritableSidecarChangesNoAnswerAndIsReported()
    {
        var (before, line, offset, length) = EditABlockOfTheWindow(MakeGroupWritable);

        var after = Answer();
        var (findings, summary) = Verify();

        Assert.Equal(before, after);
        AssertTheBlockIsReported(findings, summary, line, offset, length);
        Assert.Contains("answers do not depend on it", findings[0].Message);
    }

    [PrivilegedFact]
    public void AnEditedBlockRangeInASidecarOfAnotherUserChangesNoAnswerAndIsReported()
    {
        var (before, line, offset, length) = EditABlockOfTheWindow(blocks => Privileged.ChangeOwner(blocks, Privileged.Nobody));

        var after = Answer();
        var (findings, summary) = Verify();

        Assert.Equal(before, after);
        AssertTheBlockIsReported(findings, summary, line, offset, length);
    }

    /// <summary>
    /// A sidecar only its owner can write is trusted by the owner's queries: whoever edits it has the
    /// owner's rights, and could as well edit the unsigned active file. Test-ScoutAuditLog says so,
    /// and how to make the answers whole again.
    /// </summary>
    [Fact]
    public void ABlockEditedInTheOwnersOwnSidecarIsReportedAsUsedByTheirQueries()
    {
        var (_, line, offset, length) = EditABlockOfTheWindow(_ => { });

        var (findings, summary) = Verify();

        AssertTheBlockIsReported(findings, summary, line, offset, length);
        Assert.Contains("Delete it", findings[0].Message);
    }

    [Fact]
    public void SidecarsTheModuleWroteAgreeWithTheBytes()
    {
        WriteHistory();
        File.Delete(_files.Index);
        Answer(); // hints for the archives, .blocks for the active file
        using (var log = new AuditLog(_path)) log.Adopt(_ => true, (_, error) => throw error); // chained entries after the hints

        var (findings, summary) = Verify();

        Assert.True(File.Exists(_files.TimeBlocks));
        Assert.Equal(ArchiveCount, ArchiveIndex.ReadLines(_files).Count(l => l.Kind == IndexLineKind.Hint));
        Assert.Empty(findings);
        Assert.Equal("Verified", summary.Status);
    }

    [Fact]
    public void AnArchiveChangedAfterItsChainedEntryGetsNoHint()
    {
        var archives = WriteHistory();
        // The same events compressed anew: a whole gzip stream that a query reads without damage, of another size than its entry records.
        byte[] events;
        using (var gzip = new GZipStream(File.OpenRead(archives[4]), CompressionMode.Decompress))
        using (var content = new MemoryStream())
        {
            gzip.CopyTo(content);
            events = content.ToArray();
        }
        using (var gzip = new GZipStream(File.Create(archives[4]), CompressionLevel.NoCompression)) gzip.Write(events);
        var indexLines = File.ReadAllLines(_files.Index).Length;

        Answer();

        Assert.Equal(indexLines, File.ReadAllLines(_files.Index).Length);
    }
}

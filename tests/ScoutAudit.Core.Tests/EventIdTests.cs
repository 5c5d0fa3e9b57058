using System.IO.Compression;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Every event read carries an id, its line's position in the log's whole history: the same in
/// every reader, before and after its segment is sealed and archived, after retention; increasing in
/// log order; and a query with After resumes exactly after it, on ScoutAudit's archives and on the
/// original's, which have no index entry.
/// </summary>
public sealed class EventIdTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public EventIdTests() => _path = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    private static LogEvent Numbered(int n) => new("nav", Start.AddMinutes(n), "s") { InputTokens = n };

    private List<(long Id, long N)> Read(EventFilter? filter = null)
    {
        using var log = new AuditLog(_path);
        return [.. log.Query(filter).Select(e => (e.Id!.Value, e.InputTokens!.Value))];
    }

    /// <summary>Appends events numbered <paramref name="from"/> on, rotating after every <paramref name="perArchive"/>.</summary>
    private void Write(int from, int count, int perArchive = int.MaxValue)
    {
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        for (var n = from; n < from + count; n++)
        {
            log.Append(Numbered(n));
            if ((n - from + 1) % perArchive == 0) log.Rotate();
        }
    }

    private void AssertAfterResumesExactly()
    {
        var all = Read();
        Assert.Equal(all.OrderBy(e => e.Id), all); // increasing in log order
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        foreach (var (id, _) in all.Where((_, i) => i % 3 == 0).Append(all[^1]))
            Assert.Equal(all.Where(e => e.Id > id), Read(new EventFilter { After = id }));
        Assert.Equal(all, Read(new EventFilter { After = all[0].Id - 1 }));
    }

    [Fact]
    public void AnIdIsTheSameBeforeAndAfterItsSegmentIsSealedAndArchivedAndInEveryReader()
    {
        Write(0, 5);
        var before = Read();

        using (var log = new AuditLog(_path)) log.Rotate();
        Write(5, 3);
        var after = Read();
        using var other = new AuditLog(_path);
        var last = other.Last(4).Select(e => (e.Id!.Value, e.InputTokens!.Value)).ToList();

        Assert.Equal(before, after[..5]);
        Assert.Equal(0, before[0].Id);
        Assert.Equal(after[^4..], last);
        Assert.Single(Directory.GetFiles(_folder.FullPath, "*.jsonl.gz"));
    }

    [Fact]
    public void AfterResumesExactlyOverScoutAuditsArchivesAndTheActiveFile()
    {
        Write(0, 20, perArchive: 6); // three archives and two events in the active file

        AssertAfterResumesExactly();
        var all = Read();
        using var log = new AuditLog(_path);
        Assert.Equal(all[^2..], log.Last(5, new EventFilter { After = all[^3].Id }).Select(e => (e.Id!.Value, e.InputTokens!.Value)));
        Assert.Equal(all.Where(e => e.Id > all[7].Id && e.N % 2 == 0),
            log.Query(new EventFilter { After = all[7].Id, Since = Start.AddMinutes(8) }).Where(e => e.InputTokens % 2 == 0).Select(e => (e.Id!.Value, e.InputTokens!.Value)));
    }

    [Fact]
    public void TheOriginalsArchivesGetIdsThatStayWhenTheyAreIndexedAndAfterResumesOverThem()
    {
        // The original's history: gzip'd segments with its naming, no index; then its active file.
        for (var a = 0; a < 3; a++)
        {
            var lines = Enumerable.Range(a * 4, 4).SelectMany(n => AuditLineFormatter.Format(Numbered(n))).ToArray();
            using var gzip = new GZipStream(File.Create(_folder.File($"audit_20260401_1{a}0000.jsonl.gz")), CompressionLevel.Optimal);
            gzip.Write(lines);
        }
        File.WriteAllBytes(_path, AuditLineFormatter.Format(Numbered(12)));

        var first = Read(); // reads the archives whole, and gives them index entries
        var second = Read(); // ids from the entries now

        Assert.Equal(Enumerable.Range(0, 13).Select(n => (long)n), first.Select(e => e.N));
        Assert.Equal(first, second);
        Assert.True(File.Exists(_folder.File("audit.index.jsonl")));
        AssertAfterResumesExactly();
    }

    [Fact]
    public void IdsStayAfterRetentionAndAfterAnIndexedArchiveIsDeleted()
    {
        Write(0, 20, perArchive: 5);
        var all = Read();

        using (var log = new AuditLog(_path)) log.RemoveArchives(before: null, keep: 3, "test", _ => true);
        var afterRetention = Read();
        File.Delete(Directory.GetFiles(_folder.FullPath, "*.jsonl.gz").Order(StringComparer.Ordinal).First());
        var afterDeletion = Read();

        Assert.Equal(all.Where(e => e.N >= 5), afterRetention);
        Assert.Equal(all.Where(e => e.N >= 10), afterDeletion);
    }

    [Fact]
    public void AnIdPastTheEndOfTheLogIsReportedAsNamingNothingNotAnsweredInSilence()
    {
        Write(0, 5);
        var last = Read()[^1].Id;
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(_path, new AuditLogOptions { Diagnostics = diagnostics });

        Assert.Empty(log.Query(new EventFilter { After = last }));
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.AfterPastEnd)); // the last event's id: nothing after it yet, rightly
        var end = new FileInfo(_path).Length;
        Assert.Empty(log.Query(new EventFilter { After = end + 1000 }));
        Assert.Empty(log.Last(3, new EventFilter { After = end }));
        Assert.All(diagnostics.Of(AuditDiagnosticKind.AfterPastEnd), d => Assert.Contains($"the log ends at id {end}", d.Message));
        Assert.Equal(2, diagnostics.Of(AuditDiagnosticKind.AfterPastEnd).Count);
    }
}

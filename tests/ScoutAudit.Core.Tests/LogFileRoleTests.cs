using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// What a path given as a log names (<see cref="LogFileRole"/>), and a query that reads one archive
/// alone (<see cref="AuditLogOptions.ReadsFile"/>).
/// </summary>
public class LogFileRoleTests
{
    [Theory]
    [InlineData("audit.jsonl", LogFileRoleKind.Log, "audit.jsonl", null)]
    [InlineData("run_20260101_000000.jsonl", LogFileRoleKind.Log, "run_20260101_000000.jsonl", null)] // a sealed segment, or a runbook's log named by its time
    [InlineData("audit_20260101_000000.jsonl.gz", LogFileRoleKind.Archive, "audit.jsonl", null)]
    [InlineData("my_log_20260101_000000_0002.jsonl.gz", LogFileRoleKind.Archive, "my_log.jsonl", null)]
    [InlineData("audit_20260101_000000.jsonl.gz.tmp", LogFileRoleKind.OtherFile, "audit.jsonl", "an archive being written")]
    [InlineData("audit.jsonl.lock", LogFileRoleKind.OtherFile, "audit.jsonl", "the append lock")]
    [InlineData("audit.jsonl.seal-intent", LogFileRoleKind.OtherFile, "audit.jsonl", "the seal-intent lock")]
    [InlineData("audit.jsonl.rotate-lock", LogFileRoleKind.OtherFile, "audit.jsonl", "the rotation lock")]
    [InlineData("audit.jsonl.blocks", LogFileRoleKind.OtherFile, "audit.jsonl", "the time summaries of the blocks")]
    [InlineData("audit.jsonl.verified", LogFileRoleKind.OtherFile, "audit.jsonl", "the verification state")]
    [InlineData("audit.jsonl.forward-0a1b2c3d.json", LogFileRoleKind.OtherFile, "audit.jsonl", "a forwarding checkpoint")]
    [InlineData("scout.log.lock", LogFileRoleKind.OtherFile, "scout.log", "the append lock")] // a log named otherwise ($env:SCOUT_AUDIT_PATH)
    [InlineData("copy.jsonl.gz", LogFileRoleKind.Compressed, "copy.jsonl.gz", null)]
    [InlineData("audit.index.jsonl", LogFileRoleKind.Log, "audit.index.jsonl", null)] // no audit.jsonl beside it: a log of that name
    public void APathIsTakenForWhatItsNameMakesIt(string name, LogFileRoleKind kind, string log, string? what)
    {
        using var folder = new TempFolder();

        var role = LogFileRole.Of(folder.File(name));

        Assert.Equal(new LogFileRole(kind, folder.File(log), what), role);
    }

    [Fact]
    public void AnIndexNameIsTheIndexWhenItsLogIsBesideIt()
    {
        using var folder = new TempFolder();
        using (var log = new AuditLog(folder.File("audit.jsonl"))) log.Append(Events.At(Events.Start));

        Assert.Equal(new LogFileRole(LogFileRoleKind.OtherFile, folder.File("audit.jsonl"), "the archive index"), LogFileRole.Of(folder.File("audit.index.jsonl")));
    }

    [Fact]
    public void AQueryOfOneArchiveAloneReadsItsEventsWithTheIdsTheyHaveInTheLog()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        string archive;
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = null }))
        {
            log.Append(Events.At(Events.Start, "a1"));
            log.Append(Events.At(Events.Start.AddMinutes(1), "a2"));
            archive = log.Rotate()!.Path;
            log.Append(Events.At(Events.Start.AddMinutes(2), "b1"));
        }
        var whole = Events.ReadAll(path);

        using var alone = new AuditLog(path, new AuditLogOptions { ReadsFile = file => file == archive });

        Assert.Equal(["a1", "a2"], alone.Query().Select(e => e.Event));
        Assert.Equal(whole.Take(2).Select(e => e.Id), alone.Query().Select(e => e.Id));
        Assert.Equal(["a2"], alone.Last(1).Select(e => e.Event));
        Assert.Equal(2, alone.Spend().Single().Events);
    }
}

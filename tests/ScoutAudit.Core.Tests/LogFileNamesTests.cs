namespace ScoutAudit.Core.Tests;

/// <summary>
/// A command that writes a file of its own (a report) must never write over a log's file: which
/// names those are, whatever the log, and what is at a path, read without waiting on a FIFO.
/// </summary>
public sealed class LogFileNamesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("audit.jsonl", LogFileKind.Log)]
    [InlineData("AUDIT.JSONL", LogFileKind.Log)]
    [InlineData("audit_20260213_143022_0001.jsonl", LogFileKind.Log)]
    [InlineData("audit_20260213_143022.jsonl.gz", LogFileKind.Archive)]
    [InlineData("audit_20260213_143022.jsonl.gz.tmp", LogFileKind.Archive)]
    [InlineData("audit.index.jsonl", LogFileKind.Index)]
    [InlineData("audit.jsonl.lock", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.seal-intent", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.rotate-lock", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.blocks", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.blocks.0f8fad5bd9cb469fa16570867728950e.tmp", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.verified", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.verified.4242.tmp", LogFileKind.Sidecar)]
    [InlineData("audit.jsonl.forward-1a2b3c4d.json", LogFileKind.Sidecar)]
    [InlineData("report.html", LogFileKind.None)]
    [InlineData("audit.jsonl.html", LogFileKind.None)]
    [InlineData("audit.json", LogFileKind.None)]
    [InlineData("notes.lock", LogFileKind.None)]
    public void AnyLogsFilesAreKnownByTheirNames(string name, LogFileKind kind) =>
        Assert.Equal(kind, LogFileNames.KindOf(_folder.File(name), []));

    [Theory]
    [InlineData("scout.log", LogFileKind.Log)]
    [InlineData("scout.log.lock", LogFileKind.Sidecar)]
    [InlineData("scout.log.verified", LogFileKind.Sidecar)]
    [InlineData("scout.log.forward-1a2b3c4d.json", LogFileKind.Sidecar)]
    [InlineData("scout.index.jsonl", LogFileKind.Index)]
    [InlineData("scout_20260213_143022.jsonl.gz", LogFileKind.Archive)]
    [InlineData("scout.log.html", LogFileKind.None)]
    [InlineData("other.log.lock", LogFileKind.None)]
    public void ALogNamedOtherwiseIsKnownWithItsSidecarsWhenGiven(string name, LogFileKind kind) =>
        Assert.Equal(kind, LogFileNames.KindOf(_folder.File(name), [_folder.File("scout.log")]));

    [Fact]
    public void TheHeadOfAFileIsItsFirstBytesAndNothingIsThereIsNull()
    {
        var path = _folder.Write("page.html", "<!DOCTYPE html>\n<html>");

        Assert.Equal("<!DOCTYPE"u8.ToArray(), FileHead.Read(path, 9));
        Assert.Equal("<!DOCTYPE html>\n<html>"u8.ToArray(), FileHead.Read(path, 4096));
        Assert.Null(FileHead.Read(_folder.File("missing.html"), 4096));
        Assert.Null(FileHead.Read(_folder.File("missing", "page.html"), 4096));
        Assert.Null(FileHead.Read(_folder.FullPath, 4096));
    }

    [Fact]
    public async Task AFifoIsNotReadAndDoesNotMakeTheReaderWait()
    {
        if (OperatingSystem.IsWindows()) return; // no FIFOs among files
        var fifo = _folder.File("report.html");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));

        var read = Task.Run(() => FileHead.Read(fifo, 4096));

        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Null(await read);
    }
}

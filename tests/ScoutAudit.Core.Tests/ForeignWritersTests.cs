using System.Diagnostics;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Which processes hold a log without being ScoutAudit writers, found as fuser finds them: a
/// process appending through a handle it keeps open is found (with its command line, cut when huge,
/// since another user's process names itself), and the seal waits for it.
/// </summary>
public sealed class ForeignWritersTests
{
    [LinuxFact]
    public void AProcessKeepingTheActiveFileOpenIsFoundAndTheSealWaits()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(new LogEvent("nav"));
        var files = new LogFiles(path);
        var hugeArgument = "\u001b[2J" + new string('x', 100_000);
        using var holder = Process.Start(new ProcessStartInfo("/bin/bash")
        {
            ArgumentList = { "-c", "exec 3>>\"$0\"; echo ready; sleep 30 3>&-; true", path, hugeArgument },
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("ready", holder.StandardOutput.ReadLine());

            var found = Assert.Single(ForeignWriters.Of(files));
            var sealing = Assert.Throws<SealDeferredException>(() => new LogRotation(files, AuditLogOptions.Default).Seal(minimumSize: null));

            Assert.Equal(holder.Id, found.ProcessId);
            Assert.StartsWith("/bin/bash -c", found.CommandLine, StringComparison.Ordinal);
            Assert.InRange(found.CommandLine.Length, 1, 301);
            Assert.Contains($"process {holder.Id}", sealing.Message);
            Assert.True(File.Exists(path), "nothing was sealed");
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
        Assert.Empty(ForeignWriters.Of(files)); // remembered only while it lives
        Assert.NotNull(new LogRotation(files, AuditLogOptions.Default).Seal(minimumSize: null));
    }
    /// <summary>
    /// The original takes no lock, so it may open the active file after the seal looked for holders
    /// and before the rename: its lines would then go to the sealed segment, which no longer matches
    /// its seal record and is never archived. Found after the rename, it gets its file back.
    /// </summary>
    private const string LateLine = "{\"ts\": \"2026-12-07T10:00:00.000Z\", \"event\": \"late\", \"session_id\": \"original\"}";

    [LinuxFact]
    public void AProcessThatOpensTheFileJustBeforeTheRenameKeepsWritingToTheActiveFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(new LogEvent("nav"));
        var files = new LogFiles(path);
        SealWhileAProcessOpensTheFile(files, path);

        Assert.Empty(RotatedSegments.List(files));
        Assert.EndsWith(LateLine + "\n", File.ReadAllText(path), StringComparison.Ordinal);
        using (var log = new AuditLog(path))
        {
            Assert.Equal(["nav", "late"], log.Query().Select(e => e.Event));
            Assert.Equal(0, log.Verify(null, _ => { }).Errors); // a seal record whose bytes still begin the active file
            log.Rotate();
            Assert.Equal(["nav", "late"], log.Query().Select(e => e.Event));
            var findings = new List<IntegrityFinding>();
            Assert.Equal("Verified", log.Verify(null, findings.Add).Status);
            Assert.DoesNotContain(findings, f => f.Severity == IntegritySeverity.Error);
        }
    }

    /// <summary>
    /// The original's rotation after it got its file back: it reads the active file, gzips it to
    /// &lt;stem&gt;_YYYYMMDD_HHMMSS.jsonl.gz and deletes it. The withdrawn seal's bytes are then in that
    /// archive: the verifier finds them there rather than calling the segment gone.
    /// </summary>
    [LinuxFact]
    public void AWithdrawnSealWhoseBytesTheOriginalArchivedIsAccountedFor()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(new LogEvent("nav"));
        var files = new LogFiles(path);
        SealWhileAProcessOpensTheFile(files, path);

        using (var archive = new System.IO.Compression.GZipStream(File.Create(folder.File("audit_20261207_100000.jsonl.gz")), System.IO.Compression.CompressionLevel.Optimal))
            archive.Write(File.ReadAllBytes(path));
        File.Delete(path);
        using var afterwards = new AuditLog(path);
        afterwards.Append(new LogEvent("deep"));
        afterwards.Rotate();
        afterwards.Adopt(_ => true, (archive, error) => throw new InvalidOperationException(archive, error));

        var findings = new List<IntegrityFinding>();
        var summary = afterwards.Verify(null, findings.Add);
        Assert.True(summary.Errors == 0, string.Join("\n", findings.Select(f => $"{f.Kind}: {f.Message}")));
        Assert.DoesNotContain(findings, f => f.Kind == IntegrityFindingKind.ArchiveMissing);
        var seals = ArchiveIndex.ReadLines(files).Where(l => l.Kind == IndexLineKind.Seal).Select(l => l.Archive).ToList();
        Assert.Equal(seals.Count, seals.Distinct().Count()); // the withdrawn seal's name, free on disk, is not taken again
        Assert.Equal(["nav", "late", "deep"], afterwards.Query().Select(e => e.Event)); // every event once: the archive holds the withdrawn seal's bytes
    }

    /// <summary>A seal in whose window (after its look for holders, before its rename) a process opens the active file; the process then appends <see cref="LateLine"/>.</summary>
    private static void SealWhileAProcessOpensTheFile(LogFiles files, string path)
    {
        Process? holder = null;
        var rotation = new LogRotation(files, AuditLogOptions.Default)
        {
            BeforeRename = () =>
            {
                holder = Process.Start(new ProcessStartInfo("/bin/bash")
                {
                    ArgumentList = { "-c", "exec 3>>\"$0\"; echo ready; read; echo \"$1\" >&3", path, LateLine },
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                })!;
                Assert.Equal("ready", holder.StandardOutput.ReadLine());
            },
        };
        try
        {
            Assert.Throws<SealDeferredException>(() => rotation.Seal(minimumSize: null));
            holder!.StandardInput.WriteLine();
            Assert.True(holder.WaitForExit(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            if (holder is { HasExited: false }) holder.Kill(entireProcessTree: true);
            holder?.Dispose();
        }
    }
}

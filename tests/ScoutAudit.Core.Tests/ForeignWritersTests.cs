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
        using (var log = new AuditLog(path)) log.Append(new AuditEvent("nav"));
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
}

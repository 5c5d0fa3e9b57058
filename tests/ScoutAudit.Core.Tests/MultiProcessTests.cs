using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>Several OS processes append to and rotate one log; some are killed with SIGKILL.</summary>
public class MultiProcessTests
{
    private const long RotationBytes = 256 * 1024;

    [Fact]
    public void FourProcessesAppendAndRotateWithoutLosingOrDuplicatingAnEvent()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        const int perWriter = 25_000;
        var writers = Enumerable.Range(1, 4)
            .Select(i => new LoadWriterProcess(path, $"w{i}", perWriter, RotationBytes, rotateEvery: i == 1 ? 5_000 : 0))
            .ToList();
        foreach (var writer in writers) writer.WaitForExit(TimeSpan.FromMinutes(5));

        Assert.All(writers, w => Assert.True(w.ExitCode == 0 && w.Finished, $"{w.Writer} exited {w.ExitCode}: {w.Errors}"));
        Assert.All(writers, w => Assert.Equal("", w.Errors));
        var (counts, diagnostics) = LoadWriterProcess.ReadBack(path);
        Assert.Empty(diagnostics.Problems); // no malformed line anywhere
        Assert.Equal(4 * perWriter, counts.Count);
        Assert.All(counts, pair => Assert.Equal(1, pair.Value));
        Assert.Empty(LoadWriterProcess.LeftoversOfRotation(folder.FullPath));

        // Every archive is whole and indexed as it is: none was overwritten after it was made.
        using var log = new AuditLog(path);
        var archives = log.Archives();
        Assert.True(archives.Count >= 40, $"{archives.Count} archives");
        Assert.All(archives, a =>
        {
            Assert.NotNull(a.Sha256);
            Assert.Equal(a.Sha256, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(a.Path))).ToLowerInvariant());
        });
    }

    [Fact]
    public void ProcessesKilledAtRandomMomentsLoseNothingTheyAcknowledged()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var random = new Random(20261124);
        var rounds = 3;
        var all = new List<LoadWriterProcess>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var writers = Enumerable.Range(1, 4)
                    .Select(i => new LoadWriterProcess(path, $"r{round}w{i}", 25_000, RotationBytes, rotateEvery: i == 1 ? 3_000 : 0))
                    .ToList();
                all.AddRange(writers);
                foreach (var writer in writers)
                {
                    // A random moment measured in the writer's own progress, not in time: on a busy
                    // machine a process may not have written anything 500 ms after its start.
                    writer.WaitForAcknowledged(random.Next(200, 3_000), TimeSpan.FromSeconds(60));
                    writer.Kill();
                }
            }

            // The next writer to open the log finishes whatever rotation a kill interrupted.
            using (var log = new AuditLog(path)) log.Append(new LogEvent("nav") { Extras = [new("writer", JsonValues.From("after", "w")), new("n", JsonValues.From(0, "n"))] });

            var (counts, diagnostics) = LoadWriterProcess.ReadBack(path);
            var acknowledged = all.SelectMany(w => w.Acknowledged.Select(n => (w.Writer, (long)n))).ToList();
            Assert.True(acknowledged.Count > 1000, $"only {acknowledged.Count} acknowledged events: the kills came too early to test much");
            Assert.All(acknowledged, key => Assert.Equal(1, counts.GetValueOrDefault(key)));
            Assert.All(counts, pair => Assert.Equal(1, pair.Value)); // unacknowledged ones: present at most once
            // A killed write may at worst leave one torn line per process.
            Assert.InRange(diagnostics.Of(AuditDiagnosticKind.LineSkipped).Count, 0, all.Count);
            Assert.DoesNotContain(diagnostics.Problems, p => p.Kind != AuditDiagnosticKind.LineSkipped);
            Assert.Empty(LoadWriterProcess.LeftoversOfRotation(folder.FullPath));
        }
        finally
        {
            foreach (var writer in all) writer.Dispose();
        }
    }
}

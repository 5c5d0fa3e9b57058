using ScoutAudit.Core.Tests.Support;
using Xunit.Abstractions;

namespace ScoutAudit.Core.Tests;

[CollectionDefinition(nameof(TornWriteTests), DisableParallelization = true)]
public sealed class TornWriteCollection;

/// <summary>
/// The worst moment, made to happen: the test watches the log's last byte and kills the writer
/// process the instant a line is incomplete, that is inside a write() of a 1 MB line. On tmpfs, whose
/// writes go page by page, the kernel then stops the write at a page boundary and the line stays
/// torn, as a crash leaves it. (File systems with large folios, such as ext4 since Linux 6.16, copy
/// such a line in one step and never show it half-written; hence the tmpfs.) The watcher must run
/// while the writer writes, so these tests run alone, not beside the other test classes.
/// </summary>
[Collection(nameof(TornWriteTests))]
public class TornWriteTests(ITestOutputHelper output)
{
    private const int Attempts = 8;

    [PrivilegedFact]
    public void AWriterKilledInsideAWriteLeavesOneTornTailThatTheNextOpenRepairs()
    {
        const int rounds = 6;
        for (var round = 0; round < rounds; round++)
        {
            using var tmpfs = new Tmpfs(512L * 1024 * 1024);
            var path = tmpfs.File("audit.jsonl");
            var (writer, acknowledged) = TearTheLastLine(path, $"round{round}-");

            Assert.True(CrashTests.TornTail(path));
            CrashTests.AssertRecovered(path, writer, acknowledged, $"round {round}");
        }
    }

    /// <summary>
    /// A writer that goes on after another process died inside a write must not glue its next event
    /// onto the dead writer's fragment: it has the file open already, so no open repairs the tail for it.
    /// </summary>
    [PrivilegedFact]
    public void AWriterThatGoesOnAfterAnotherDiedInsideAWriteDoesNotGlueItsNextEventOntoTheFragment()
    {
        using var tmpfs = new Tmpfs(512L * 1024 * 1024);
        var path = tmpfs.File("audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        using var survivor = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        survivor.Append(Tagged("survivor", 0));

        // A lease of the append lock lasts 2 ms: the survivor's next append, long after, takes a new one.
        var (dead, acknowledged) = TearTheLastLine(path, "dead");
        survivor.Append(Tagged("survivor", 1));
        survivor.Close();

        var (counts, read) = LoadWriterProcess.ReadBack(path);
        Assert.Equal(1, counts.GetValueOrDefault(("survivor", 0L)));
        Assert.Equal(1, counts.GetValueOrDefault(("survivor", 1L)));
        Assert.Single(diagnostics.Of(AuditDiagnosticKind.TornTailRepaired));
        Assert.All(acknowledged, n => Assert.Equal(1, counts.GetValueOrDefault((dead, (long)n))));
        Assert.Single(read.Of(AuditDiagnosticKind.LineSkipped)); // the fragment, alone on its line
    }

    /// <summary>
    /// The case the lease check above cannot see: another writer dies inside a write while this one
    /// holds its lease (a test clock keeps the lease from ending). The next event lands on the
    /// fragment; it is written again on a line of its own, so it is read exactly once.
    /// </summary>
    [Fact]
    public void AnEventAppendedOntoAFragmentLeftDuringThisWritersLeaseIsWrittenAgainOnALineOfItsOwn()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        using (var writer = new AuditLog(path, new AuditLogOptions { Time = new TestClock(), Diagnostics = diagnostics, RotationSize = null }))
        {
            writer.Append(Tagged("writer", 0));
            // Another process, appending under its own shared lease, is killed half-way through its line.
            using (var other = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                other.Write("{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"na"u8);
            writer.Append(Tagged("writer", 1));
            writer.Append(Tagged("writer", 2));
        }

        var (counts, read) = LoadWriterProcess.ReadBack(path);
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(n => counts.GetValueOrDefault(("writer", (long)n))));
        Assert.Single(diagnostics.Of(AuditDiagnosticKind.TornTailRepaired));
        Assert.Single(read.Of(AuditDiagnosticKind.LineSkipped)); // the fragment with the first copy of event 1
    }

    private static LogEvent Tagged(string writer, int n) =>
        new("nav") { Extras = [new("writer", JsonValues.From(writer, "w")), new("n", JsonValues.From(n, "n"))] };

    /// <summary>
    /// Starts writer processes appending 1 MB lines and kills one inside a write; a writer that ends
    /// before the watcher caught it mid-write, or whose kill came a moment late, is followed by another.
    /// Returns the writer that left the torn line, and what it had acknowledged.
    /// </summary>
    private (string Writer, IReadOnlyList<int> Acknowledged) TearTheLastLine(string path, string prefix)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var id = prefix + attempt;
            using var writer = new LoadWriterProcess(path, id, 60, 1024L * 1024 * 1024, reasonBytes: 1_000_000);
            Assert.True(writer.WaitForAcknowledged(1, TimeSpan.FromSeconds(60)), $"{id} ended early: {writer.Errors}");
            var caught = KillInsideAWrite(writer, path);
            Assert.Equal("", writer.Errors);
            if (caught && CrashTests.TornTail(path))
            {
                output.WriteLine($"torn by {id}");
                return (id, writer.Acknowledged);
            }
        }
        throw new Xunit.Sdk.XunitException($"no kill of {Attempts} writers landed inside a write");
    }

    /// <summary>Watches the log's last byte and kills the writer the instant a line is incomplete; false when the writer finished first.</summary>
    private static bool KillInsideAWrite(LoadWriterProcess writer, string path)
    {
        using (var watched = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            var handle = watched.SafeFileHandle;
            var last = new byte[1];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var length = RandomAccess.GetLength(handle);
                if (length > 0 && RandomAccess.Read(handle, last, length - 1) == 1 && last[0] != '\n') break;
                if (writer.Finished) return false;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{writer.Writer} neither finished nor was seen writing");
            }
        }
        writer.Kill();
        return true;
    }
}

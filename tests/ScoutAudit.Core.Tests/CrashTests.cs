using ScoutAudit.Core.Tests.Support;
using Xunit.Abstractions;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A writer process killed with SIGKILL at a random moment, round after round, while appending short
/// or long lines or while rotating (<see cref="TornWriteTests"/> kills inside a write). After each kill
/// the log is checked as it was left, then opened again for writing.
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    public enum Workload
    {
        Appending,
        AppendingLongLines,
        Rotating,
    }

    private const int Rounds = 24;

    [Fact]
    public void AWriterKilledAtARandomMomentLosesNoAcknowledgedEventAndTheNextOpenFinishesItsWork()
    {
        var random = new Random(20260213);
        var tornTails = 0;
        var interruptedRotations = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var workload = (Workload)(round % 3);
            using var folder = new TempFolder();
            var path = folder.File("audit.jsonl");
            var writerId = $"round{round}";

            IReadOnlyList<int> acknowledged;
            using (var writer = workload switch
                   {
                       Workload.Appending => new LoadWriterProcess(path, writerId, 200_000, 10 * 1024 * 1024),
                       Workload.AppendingLongLines => new LoadWriterProcess(path, writerId, 2_000, 1024L * 1024 * 1024, reasonBytes: 64 * 1024),
                       _ => new LoadWriterProcess(path, writerId, 200_000, 16 * 1024, rotateEvery: 250),
                   })
            {
                var threshold = workload == Workload.AppendingLongLines ? random.Next(1, 200) : random.Next(1, 3_000);
                Assert.True(writer.WaitForAcknowledged(threshold, TimeSpan.FromSeconds(60)), $"round {round}: the writer ended early: {writer.Errors}");
                Thread.Sleep(random.Next(0, 15)); // a random moment after the threshold, not right at an acknowledgement
                writer.Kill();
                Assert.Equal("", writer.Errors);
                acknowledged = writer.Acknowledged;
            }
            if (TornTail(path)) tornTails++;
            if (LoadWriterProcess.LeftoversOfRotation(folder.FullPath).Length > 0) interruptedRotations++;

            AssertRecovered(path, writerId, acknowledged, $"round {round} ({workload})");
        }
        output.WriteLine($"{Rounds} rounds: {tornTails} torn tails, {interruptedRotations} interrupted rotations");
    }

    /// <summary>
    /// Checks the log as the kill left it (every acknowledged event once, every line valid but a torn
    /// tail), then opens it for writing and checks that the open repaired the tail and finished any rotation.
    /// </summary>
    internal static void AssertRecovered(string path, string writerId, IReadOnlyList<int> acknowledged, string round)
    {
        var torn = TornTail(path);
        var (counts, diagnostics) = LoadWriterProcess.ReadBack(path);
        AssertEveryAcknowledgedEventOnce(round, writerId, acknowledged, counts);
        var skipped = diagnostics.Of(AuditDiagnosticKind.LineSkipped);
        Assert.True(skipped.Count <= (torn ? 1 : 0), $"{round}: {string.Join("; ", skipped.Select(s => s.Message))}");
        Assert.All(skipped, s => Assert.Equal(path, s.Path));
        Assert.All(skipped, s => Assert.Contains("the last line is torn", s.Message));
        Assert.DoesNotContain(diagnostics.Problems, p => p.Kind != AuditDiagnosticKind.LineSkipped);

        // The next open terminates the torn tail, so the next event stands on its own line, and finishes the rotation.
        var repair = new RecordingDiagnostics();
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = repair }))
            log.Append(new LogEvent("nav") { Extras = [new("writer", JsonValues.From("after", "w")), new("n", JsonValues.From(0, "n"))] });
        Assert.Equal(torn ? 1 : 0, repair.Of(AuditDiagnosticKind.TornTailRepaired).Count);
        Assert.DoesNotContain(repair.Problems, p => p.Kind != AuditDiagnosticKind.TornTailRepaired);
        Assert.Empty(LoadWriterProcess.LeftoversOfRotation(Path.GetDirectoryName(path)!));

        var (after, afterDiagnostics) = LoadWriterProcess.ReadBack(path);
        AssertEveryAcknowledgedEventOnce(round, writerId, acknowledged, after);
        Assert.Equal(1, after.GetValueOrDefault(("after", 0L)));
        Assert.Equal(skipped.Count, afterDiagnostics.Of(AuditDiagnosticKind.LineSkipped).Count); // the fragment stays one skipped line
        Assert.DoesNotContain(afterDiagnostics.Problems, p => p.Kind != AuditDiagnosticKind.LineSkipped);
        Assert.All(afterDiagnostics.Of(AuditDiagnosticKind.LineSkipped), s => Assert.DoesNotContain("torn", s.Message));
        Assert.False(TornTail(path));
    }

    private static void AssertEveryAcknowledgedEventOnce(string round, string writer, IReadOnlyList<int> acknowledged, Dictionary<(string Writer, long N), int> counts)
    {
        Assert.True(acknowledged.Count > 0, $"{round}: nothing was acknowledged");
        Assert.All(acknowledged, n => Assert.Equal(1, counts.GetValueOrDefault((writer, (long)n))));
        Assert.All(counts, pair => Assert.Equal(1, pair.Value)); // unacknowledged events too: at most once
        // The writer appends in order, so what is there is 0..k, with at most the event in flight beyond the last acknowledgement.
        var present = counts.Keys.Where(k => k.Writer == writer).Select(k => k.N).Order().ToList();
        Assert.Equal(Enumerable.Range(0, present.Count).Select(n => (long)n), present);
        Assert.InRange(present.Count - acknowledged.Count, 0, 65); // acknowledgements are printed in batches of 64
    }

    /// <summary>True when the active file ends without a newline, as a write cut short leaves it.</summary>
    internal static bool TornTail(string path)
    {
        if (!File.Exists(path)) return false;
        using var file = File.OpenRead(path);
        if (file.Length == 0) return false;
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }
}

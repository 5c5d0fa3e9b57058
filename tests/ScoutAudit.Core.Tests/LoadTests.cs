using System.Collections.Concurrent;
using ScoutAudit.Core.Tests.Support;
using Xunit.Abstractions;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Everything at once on one log: 8 writer threads and 2 writer processes append while the log
/// rotates by size, and 2 readers query it in a loop until the writers are done.
/// </summary>
public class LoadTests(ITestOutputHelper output)
{
    private const int Threads = 8;
    private const int EventsPerThread = 2_500;
    private const int EventsPerProcess = 10_000;
    private const long RotationBytes = 16 * 1024; // small, so that the load meets hundreds of rotations

    [Fact]
    public async Task WritersAndReadersTogetherNeitherDeadlockNorSeeATornLineAndEveryEventIsAccountedFor()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var writerDiagnostics = new RecordingDiagnostics();
        var readerFailures = new ConcurrentQueue<string>();
        var queries = new int[2];
        using var writing = new CancellationTokenSource();

        using var log = new AuditLog(path, new AuditLogOptions { RotationSize = RotationBytes, Diagnostics = writerDiagnostics });
        log.Append(Tagged("start", 0)); // the log exists before the readers start
        var processes = Enumerable.Range(1, 2).Select(i => new LoadWriterProcess(path, $"process{i}", EventsPerProcess, RotationBytes)).ToList();
        try
        {
            var threads = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
            {
                for (var n = 0; n < EventsPerThread; n++) log.Append(Tagged($"thread{t}", n));
            }, TaskCreationOptions.LongRunning)).ToArray();
            var readers = Enumerable.Range(0, 2).Select(r => Task.Factory.StartNew(() =>
            {
                // Each query opens its own log object, as another process would.
                while (!writing.IsCancellationRequested)
                {
                    if (Check(path) is { } failure) readerFailures.Enqueue($"reader {r}, query {queries[r]}: {failure}");
                    queries[r]++;
                }
            }, TaskCreationOptions.LongRunning)).ToArray();

            // The guards throw TimeoutException when the writers stop moving (StallGuard): a deadlock
            // fails the test instead of hanging CI; a slow, loaded machine does not.
            var writers = Task.WhenAll(threads.Append(Task.Run(() =>
            {
                foreach (var process in processes) process.WaitForExit(Timeout.InfiniteTimeSpan);
            })));
            await StallGuard.WaitWhileMoving(writers, () => StallGuard.BytesIn(folder.FullPath));
            writing.Cancel();
            await StallGuard.WaitWhileMoving(Task.WhenAll(readers), () => queries[0] + queries[1]);
            Assert.All(processes, p => Assert.True(p.ExitCode == 0 && p.Finished, $"{p.Writer} exited {p.ExitCode}: {p.Errors}"));
            Assert.All(processes, p => Assert.Equal("", p.Errors));
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }

        Assert.Empty(writerDiagnostics.Problems);
        foreach (var failure in readerFailures) output.WriteLine(failure);
        Assert.Empty(readerFailures);
        Assert.All(queries, q => Assert.True(q >= 2, $"a reader ran only {q} queries"));
        output.WriteLine($"queries: {string.Join(", ", queries)}; archives: {log.Archives().Count}");

        log.Close();
        var final = new RecordingDiagnostics();
        var seen = Seen(path, final);
        Assert.Empty(final.Problems);
        for (var t = 0; t < Threads; t++) Assert.Equal(EventsPerThread, seen.GetValueOrDefault($"thread{t}")?.Count);
        foreach (var process in processes) Assert.Equal(EventsPerProcess, seen.GetValueOrDefault(process.Writer)?.Count);
        Assert.True(log.Archives().Count >= 5, $"only {log.Archives().Count} rotations happened under load");
    }

    [Fact]
    public async Task EveryEventWritersOnSeveralThreadsShareSyncsAcrossRotationsAndLoseNothing()
    {
        // Group commit under rotation: the active file is sealed and reopened under the syncs the
        // writers lead for each other. Every call returns synced, nothing is lost or repeated.
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var diagnostics = new RecordingDiagnostics();
        const int writers = 4, perWriter = 500;
        using (var log = new AuditLog(path, new AuditLogOptions
        {
            RotationSize = RotationBytes,
            SyncPolicy = new SyncPolicy { Mode = SyncMode.EveryEvent },
            Diagnostics = diagnostics,
        }))
        {
            var threads = Enumerable.Range(0, writers).Select(t => Task.Factory.StartNew(() =>
            {
                for (var n = 0; n < perWriter; n++) log.Append(Tagged($"thread{t}", n));
            }, TaskCreationOptions.LongRunning)).ToArray();
            await StallGuard.WaitWhileMoving(Task.WhenAll(threads), () => StallGuard.BytesIn(folder.FullPath));
            Assert.Equal(0, log.UnsyncedLines);
        }
        // Counted once the log is closed: sealed segments are compressed in the background, and
        // closing waits for that (just after the writes some may still be sealed, not archived).
        using (var closed = new AuditLog(path)) Assert.True(closed.Archives().Count >= 5, $"only {closed.Archives().Count} rotations happened");

        Assert.Empty(diagnostics.Problems);
        var read = new RecordingDiagnostics();
        var seen = Seen(path, read);
        Assert.Empty(read.Problems);
        for (var t = 0; t < writers; t++) Assert.Equal(Enumerable.Range(0, perWriter).Select(n => (long)n), seen[$"thread{t}"]);
    }

    private static LogEvent Tagged(string writer, int n) =>
        new("nav") { Extras = [new("writer", JsonValues.From(writer, "writer")), new("n", JsonValues.From(n, "n"))], Reason = "load test event with some padding text" };

    /// <summary>
    /// One query as a reader sees it: no damage of any kind reported, and of each writer (who appends
    /// its events in order) a gapless run 0..k, each once: a snapshot neither misses nor repeats a file.
    /// </summary>
    private static string? Check(string path)
    {
        var diagnostics = new RecordingDiagnostics();
        Dictionary<string, List<long>> seen;
        try
        {
            seen = Seen(path, diagnostics);
        }
        catch (Exception error)
        {
            return $"the query threw {error}";
        }
        if (diagnostics.Problems.Count > 0) return string.Join("; ", diagnostics.Problems.Select(p => $"{p.Kind}: {p.Message}"));
        foreach (var (writer, numbers) in seen)
        {
            for (var i = 0; i < numbers.Count; i++)
            {
                if (numbers[i] != i) return $"{writer}: expected event {i}, read {numbers[i]} (of {numbers.Count})";
            }
        }
        return null;
    }

    private static Dictionary<string, List<long>> Seen(string path, RecordingDiagnostics diagnostics)
    {
        var seen = new Dictionary<string, List<long>>();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        foreach (var e in log.Query())
        {
            var writer = e.GetExtra("writer")!.Value.GetString()!;
            if (!seen.TryGetValue(writer, out var numbers)) seen[writer] = numbers = [];
            numbers.Add(e.GetExtra("n")!.Value.GetInt64());
        }
        return seen;
    }
}

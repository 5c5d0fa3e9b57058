using System.IO.Compression;
using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// The reader against hostile files, with fixed seeds and bounded iterations so that CI runs the
/// same cases every time: random bytes, mutations of real lines (the committed corpus of lines the
/// original and Core wrote), damaged gzip archives, depth bombs, lines of many megabytes, invalid
/// UTF-8. Nothing may throw or hang, memory must not follow the size of a line, and every damaged
/// line must be reported while every good one is read.
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly byte[][] Corpus = LoadCorpus();

    private static readonly byte[][] Tokens =
    [
        "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "null"u8.ToArray(), "true"u8.ToArray(), "1e999"u8.ToArray(), "-0"u8.ToArray(), "9223372036854775808"u8.ToArray(), "0.1e-400"u8.ToArray(),
        "\"\\ud800\""u8.ToArray(), "\"\\u0000\""u8.ToArray(), "\"ts\": \"2026-02-13T14:30:22.123Z\""u8.ToArray(), "\"event\": 5"u8.ToArray(),
        "\"config\": []"u8.ToArray(), "\"files\": [1]"u8.ToArray(), "\"cost\": \"x\""u8.ToArray(), "NaN"u8.ToArray(), "-Infinity"u8.ToArray(), "\"output_t\": 3.7"u8.ToArray(), "\r"u8.ToArray(), "\t"u8.ToArray(),
        [0xEF, 0xBB, 0xBF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x80, 0xA8], [0x1B, (byte)'['],
    ];

    private static byte[][] LoadCorpus()
    {
        var lines = new List<byte[]>();
        foreach (var name in new[] { "core_written.jsonl", "model_corpus.jsonl", "model_edge_cases.jsonl" })
        {
            foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))
                if (line.Length > 0) lines.Add(Encoding.UTF8.GetBytes(line));
        }
        return [.. lines];
    }

    private static byte[] RandomBytes(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(0, maxLength)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A real line with one to four random edits: bit flips, hostile tokens, cuts, repeats, insertions.</summary>
    private static byte[] Mutate(byte[] line, Random random)
    {
        var bytes = new List<byte>(line);
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, random.Next(1, Math.Min(16, bytes.Count - at) + 1));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at); // cut short, as a torn line
                    break;
                case 4 when bytes.Count > 0:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 40), bytes.Count - at)));
                    break;
                case 5:
                    bytes.InsertRange(at, RandomBytes(random, 8));
                    break;
                default:
                    if (bytes.Count > 0) bytes[at] = Tokens[random.Next(Tokens.Length)][0];
                    break;
            }
        }
        return [.. bytes];
    }

    private static byte[] AnyLine(Random random) => random.Next(10) switch
    {
        0 => RandomBytes(random, 200),
        < 4 => Corpus[random.Next(Corpus.Length)],
        _ => Mutate(Corpus[random.Next(Corpus.Length)], random),
    };

    /// <summary>What the reader must make of an event: its fields as the writer would write them.</summary>
    private static string Describe(LogEvent e)
    {
        try
        {
            return Encoding.UTF8.GetString(AuditLineFormatter.Format(e));
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return $"{e.Timestamp:O} {e.Event} {e.SessionId} {e.Cost} {e.Model} {e.InputTokens} {e.OutputTokens} {e.Reason} {e.Files?.Count} {e.Extras.Count}";
        }
    }

    [Fact]
    public async Task TheLineParserNeverThrowsAndItsFastPathsAgreeWithIt() =>
        await Task.Run(ParseManyLines).WaitAsync(HangGuard); // the guard fails the test instead of hanging CI

    private static void ParseManyLines()
    {
        var random = new Random(61);
        var pool = new StringPool();
        var accepted = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var line = AnyLine(random);
            var ok = AuditLineParser.TryParse(line, out var parsed, out var problem);
            Assert.True(ok ? parsed is not null && problem is null : parsed is null && !string.IsNullOrEmpty(problem), Encoding.UTF8.GetString(line));
            if (ok) accepted++;

            // Aggregates read lines through a lighter parser: it must accept exactly the same lines, with the same values.
            Assert.Equal(ok, AuditLineParser.TrySummarize(line, pool, out var summary, out _));
            if (ok)
            {
                Assert.Equal((parsed!.Timestamp, parsed.Event, parsed.SessionId, parsed.Model, parsed.Cost, parsed.InputTokens, parsed.OutputTokens),
                    (summary.Timestamp, summary.Event, summary.SessionId, summary.Model, summary.Cost, summary.InputTokens, summary.OutputTokens));
                Assert.Equal(parsed.InvalidFields, summary.InvalidFields ?? []);
            }

            // Queries rule lines out by their header and only check the rest for damage: both must agree with the parser.
            var wellFormed = AuditLineParser.IsWellFormed(line, out _, out var headerRepeated);
            if (ok) Assert.True(wellFormed, Encoding.UTF8.GetString(line));
            if (ok && !headerRepeated && LineHeader.TryRead(line, out var timestamp, out var eventType))
            {
                Assert.Equal(parsed!.Timestamp, timestamp);
                Assert.Equal(parsed.Event, Encoding.UTF8.GetString(eventType));
            }

            // What was read can be written again, and reads back the same.
            if (ok && Describe(parsed!) is var written && written.EndsWith('\n'))
            {
                Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(written.TrimEnd('\n')), out var again, out var why), why);
                Assert.Equal(written, Describe(again!));
            }
        }
        Assert.InRange(accepted, 4_000, 36_000); // the mix holds both good and bad lines
    }

    [Fact]
    public async Task DamagedFilesNeverThrowEveryBadLineIsReportedAndEveryGoodOneRead() =>
        await Task.Run(ReadManyHostileFiles).WaitAsync(HangGuard);

    private static void ReadManyHostileFiles()
    {
        var random = new Random(62);
        using var folder = new TempFolder();
        for (var file = 0; file < 150; file++)
        {
            var path = folder.File($"audit{file}.jsonl");
            var (content, expected, bad, illFormed) = HostileFile(random);
            File.WriteAllBytes(path, content);

            var diagnostics = new RecordingDiagnostics();
            using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
            Assert.Equal(expected.Select(Describe), log.Query().Select(Describe));
            Assert.Equal(bad, diagnostics.Of(AuditDiagnosticKind.LineSkipped).Select(d => d.LineNumber!.Value));
            Assert.DoesNotContain(diagnostics.Problems, p => p.Kind != AuditDiagnosticKind.LineSkipped);

            // The aggregates' lighter reading counts the same events.
            var spend = Assert.Single(log.Spend());
            Assert.Equal(expected.Count, spend.Events);
            Assert.Equal(expected.Aggregate(0L, (total, e) => SaturatingAdd(total, e.InputTokens ?? 0)), spend.InputTokens);
            var accuracy = log.Accuracy();
            Assert.Equal(expected.Count(e => e.Event == "nav"), accuracy.TotalNav);

            // A filtered query rules lines out by their header: the same events pass, and malformed JSON is still reported.
            var filter = new EventFilter
            {
                Since = Events.Start.AddDays(random.Next(-400, 400)),
                Until = Events.Start.AddDays(random.Next(400, 800)),
                EventTypes = random.Next(2) == 0 ? null : ["nav", "brief"],
            };
            var filtered = new RecordingDiagnostics();
            using var filteredLog = new AuditLog(path, new AuditLogOptions { Diagnostics = filtered });
            Assert.Equal(expected.Where(filter.Matches).Select(Describe), filteredLog.Query(filter).Select(Describe));
            var reported = filtered.Of(AuditDiagnosticKind.LineSkipped).Select(d => d.LineNumber!.Value).ToHashSet();
            Assert.Superset(illFormed.ToHashSet(), reported);
            Assert.Subset(bad.ToHashSet(), reported);
        }
    }

    private static long SaturatingAdd(long total, long value)
    {
        var sum = unchecked(total + value);
        return ((total ^ sum) & (value ^ sum)) < 0 ? (value > 0 ? long.MaxValue : long.MinValue) : sum;
    }

    /// <summary>
    /// A file of good, damaged, random and blank lines, LF or CRLF, maybe a BOM, maybe no final
    /// newline; with the events the reader must yield, the line numbers it must report, and those of
    /// them that are not even well-formed JSON.
    /// </summary>
    private static (byte[] Content, List<LogEvent> Expected, List<long> Bad, List<long> IllFormed) HostileFile(Random random)
    {
        var content = new List<byte>();
        var expected = new List<LogEvent>();
        var bad = new List<long>();
        var illFormed = new List<long>();
        if (random.Next(5) == 0) content.AddRange([0xEF, 0xBB, 0xBF]);
        var lines = random.Next(1, 40);
        for (var number = 1; number <= lines; number++)
        {
            var line = random.Next(12) == 0 ? (random.Next(2) == 0 ? ""u8.ToArray() : " \t "u8.ToArray()) : AnyLine(random);
            line = line.Where(b => b != '\n').ToArray(); // a newline would make two lines
            var terminator = number == lines && random.Next(3) == 0 ? ""u8.ToArray() : random.Next(4) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
            var start = number == 1 ? 0 : content.Count; // a BOM belongs to the first line
            content.AddRange(line);
            content.AddRange(terminator);

            // What LineReader hands the parser: the bytes before the newline, trailing CRs removed.
            var seen = content.Skip(start).Take(content.Count - start - (terminator.Length == 0 ? 0 : 1)).ToArray().AsSpan().TrimEnd((byte)'\r');
            if (seen.IsEmpty) continue; // blank; a line of whitespace is reported, as the original warns of it
            if (AuditLineParser.TryParse(seen, out var e, out _)) expected.Add(e!);
            else
            {
                bad.Add(number);
                if (!AuditLineParser.IsWellFormed(seen, out _, out _)) illFormed.Add(number);
            }
        }
        return ([.. content], expected, bad, illFormed);
    }

    [Fact]
    public async Task DamagedArchivesNeverThrowNorHangTheirDamageIsReportedAndTheRestOfTheLogIsRead()
    {
        var random = new Random(63);
        using var source = new TempFolder();
        var sourcePath = source.File("audit.jsonl");
        List<string> original;
        byte[] archive, index;
        string archiveName;
        using (var log = new AuditLog(sourcePath))
        {
            for (var n = 0; n < 400; n++)
                log.Append(new LogEvent(n % 3 == 0 ? "validation_fail" : "nav", Events.Start.AddSeconds(n), "s") { InputTokens = n, Reason = $"reason {n}", Cost = n / 1000.0 });
            original = log.Query().Select(Describe).ToList();
            var made = log.Rotate()!;
            archive = File.ReadAllBytes(made.Path);
            archiveName = Path.GetFileName(made.Path);
            index = File.ReadAllBytes(source.File("audit.index.jsonl"));
        }

        using var folder = new TempFolder();
        for (var round = 0; round < 200; round++)
        {
            var directory = folder.File($"r{round}");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "audit.jsonl");
            File.WriteAllBytes(Path.Combine(directory, archiveName), Damage(archive, random));
            if (random.Next(2) == 0) File.WriteAllBytes(Path.Combine(directory, "audit.index.jsonl"), random.Next(2) == 0 ? index : Mutate(index, random));
            var after = Enumerable.Range(0, 3).Select(n => new LogEvent("nav", Events.Start.AddDays(1).AddSeconds(n), "after") { InputTokens = 1000 + n }).ToList();
            using (var log = new AuditLog(path)) foreach (var e in after) log.Append(e);

            var diagnostics = new RecordingDiagnostics();
            var read = await Task.Run(() =>
            {
                using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
                return log.Query().Select(Describe).ToList();
            }).WaitAsync(HangGuard);

            Assert.Equal(after.Select(Describe), read.TakeLast(3)); // the query went on past the archive
            var fromArchive = read.SkipLast(3).ToList();
            if (!fromArchive.SequenceEqual(original))
            {
                Assert.True(diagnostics.Problems.Any(p => p.Kind is AuditDiagnosticKind.ArchiveDamaged or AuditDiagnosticKind.LineSkipped),
                    $"round {round}: the archive yielded {fromArchive.Count} of {original.Count} events, and no damage was reported");
            }
            Assert.All(diagnostics.Problems, p => Assert.Contains(p.Kind, new[] { AuditDiagnosticKind.ArchiveDamaged, AuditDiagnosticKind.LineSkipped }));
        }
    }

    /// <summary>One kind of damage a gzip file meets: flipped bits, a cut, garbage over a range or after the end, a lost header.</summary>
    private static byte[] Damage(byte[] gzip, Random random)
    {
        var bytes = (byte[])gzip.Clone();
        switch (random.Next(6))
        {
            case 0:
                for (var i = random.Next(1, 9); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                var at = random.Next(bytes.Length);
                random.NextBytes(bytes.AsSpan(at, Math.Min(random.Next(1, 64), bytes.Length - at)));
                return bytes;
            case 3:
                return [.. bytes, .. RandomBytes(random, 64)];
            case 4:
                bytes.AsSpan(0, Math.Min(10, bytes.Length)).Clear();
                return bytes;
            default:
                return RandomBytes(random, 2048);
        }
    }

    [Fact]
    public void ADepthBombALongLineAndInvalidUtf8AreSkippedAndReportedAndTheGoodLinesRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        string Good(int n) => $"{{\"ts\": \"2026-02-13T14:00:{n:00}.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"input_t\": {n}}}\n";
        using (var file = File.Create(path))
        {
            void Write(string text) => file.Write(Encoding.UTF8.GetBytes(text));
            Write(Good(0));
            Write(string.Concat(Enumerable.Repeat("{\"a\": ", 200_000)) + "1" + new string('}', 200_000) + "\n"); // line 2
            Write(Good(1));
            Write("{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"x\": " + new string('[', 100_000) + "\n"); // 4
            Write(Good(2));
            file.Write([.. "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"reason\": \""u8, 0xC0, 0xAF, .. "\"}\n"u8]); // 6
            file.Write([.. "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"reason\": \""u8, 0xED, 0xA0, 0x80, .. "\"}\n"u8]); // 7
            file.Write([.. "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \""u8, 0xFF, 0xFE, .. "\", \"session_id\": \"s\"}\n"u8]); // 8
            Write(Good(3));
            Write($"{{\"ts\": \"2026-02-13T14:00:04.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"input_t\": 4, \"reason\": \"{new string('x', 3_000_000)}\"}}\n"); // 10: long, but readable
            Write(Good(5));
            Write(new string('y', 12 * 1024 * 1024) + "\n"); // 12: over the 8 MiB a line may have
            Write(Good(6));
        }

        var diagnostics = new RecordingDiagnostics();
        var read = Events.ReadAll(path, diagnostics);

        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], read.Select(e => e.InputTokens!.Value));
        Assert.Equal(3_000_000, read.Single(e => e.InputTokens == 4).Reason!.Length);
        var skipped = diagnostics.Of(AuditDiagnosticKind.LineSkipped);
        Assert.Equal([2L, 4, 6, 7, 8, 12], skipped.Select(s => s.LineNumber!.Value));
        Assert.All(skipped.Take(2), s => Assert.Contains("The maximum configured depth of 65 has been exceeded", s.Message));
        Assert.All(skipped.Skip(2).Take(3), s => Assert.EndsWith("the line is not valid UTF-8.", s.Message));
        Assert.EndsWith($"the line is {12 * 1024 * 1024} bytes long; lines over {LineReader.DefaultMaxLineBytes} bytes are not read.", skipped[5].Message);
        Assert.Equal(skipped.Count, diagnostics.Problems.Count);
    }

    [Fact]
    public void MemoryDoesNotFollowTheSizeOfALineInAFileOrInAnArchive()
    {
        using var folder = new TempFolder();
        var good = Encoding.UTF8.GetBytes("{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n");
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'x');
        var alphabet = new byte[1024 * 1024];
        for (var i = 0; i < alphabet.Length; i++) alphabet[i] = (byte)('a' + i % 26);

        // A line of 64 MiB in the active file, between two good ones.
        var active = folder.File("file", "audit.jsonl");
        Directory.CreateDirectory(folder.File("file"));
        using (var file = File.Create(active))
        {
            file.Write(good);
            for (var i = 0; i < 64; i++) file.Write(chunk);
            file.Write("\n"u8);
            file.Write(good);
        }
        // A good line, then 256 MiB without a newline, in about 650 KiB: the alphabet over and over
        // packs 412:1, within what ArchiveBounds lets an archive hold (a run of one byte would be
        // stopped there as a bomb, before the line's end: HostileArchiveTests).
        var bomb = folder.File("bomb", "audit.jsonl");
        Directory.CreateDirectory(folder.File("bomb"));
        using (var file = File.Create(folder.File("bomb", "audit_20260213_130000.jsonl.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(good);
            for (var i = 0; i < 256; i++) gzip.Write(alphabet);
        }

        // The reader holds at most 8 MiB of a line (its buffer grows to that by doubling, about 24 MiB
        // allocated in all): far less than the line, whatever its size.
        Assert.Equal((2, 1), ReadCountingAllocations(active, out var fileAllocated));
        Assert.True(fileAllocated < 32 * 1024 * 1024, $"reading a 64 MiB line allocated {fileAllocated / (1024 * 1024)} MiB");
        Assert.Equal((1, 1), ReadCountingAllocations(bomb, out var bombAllocated));
        Assert.True(bombAllocated < 32 * 1024 * 1024, $"reading a 256 MiB line from an archive allocated {bombAllocated / (1024 * 1024)} MiB");
    }

    private static (int Events, int Skipped) ReadCountingAllocations(string path, out long allocated)
    {
        var diagnostics = new RecordingDiagnostics();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var events = 0;
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics }))
            foreach (var _ in log.Query()) events++;
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(diagnostics.Of(AuditDiagnosticKind.LineSkipped).Count, diagnostics.Problems.Count);
        return (events, diagnostics.Of(AuditDiagnosticKind.LineSkipped).Count);
    }

    [Fact]
    public void AbsurdNumbersInLinesDoNotBreakOrWrapTheAggregates()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllText(path,
            "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1e300, \"input_t\": 9223372036854775807}\n" +
            "{\"ts\": \"2026-02-13T14:00:01.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1e300, \"input_t\": 9223372036854775807, \"output_t\": -9223372036854775808}\n" +
            "{\"ts\": \"2026-02-13T14:00:02.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 0.5, \"output_t\": -9223372036854775808}\n");
        using var log = new AuditLog(path);

        var spend = Assert.Single(log.Spend());

        Assert.Equal(3, spend.Events);
        Assert.Equal(long.MaxValue, spend.InputTokens); // saturated, never wrapped round to a negative total
        Assert.Equal(long.MinValue, spend.OutputTokens);
        Assert.Equal(decimal.MaxValue, spend.Cost);
        Assert.Equal(3, log.Spend(grouping: SpendGrouping.Model).Sum(r => r.Events));
    }
}

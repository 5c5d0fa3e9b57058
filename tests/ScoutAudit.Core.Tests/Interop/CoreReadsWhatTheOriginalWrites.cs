using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// Lines written by the original (its reference model) are read by Core with every field as the
/// original wrote it, and written back by Core byte for byte, so both tools can share one log.
/// </summary>
public sealed class CoreReadsWhatTheOriginalWrites
{
    [Fact]
    public void CoreReadsEveryLineTheOriginalWrote() =>
        AssertCoreReadsEveryLine(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.Corpus)));

    [Fact]
    public void CoreWritesBackEveryLineTheOriginalWroteByteForByte() =>
        AssertCoreWritesBackEveryLine(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.Corpus)));

    [Fact]
    public void CoreQueriesTheOriginalsFileWithoutSkippingALine()
    {
        using var temp = new TempFolder();
        var path = InteropFixtures.CopyTo(temp, ModelCorpus.FixtureOf(ModelCorpus.Corpus));
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });

        var events = log.Query().ToList();

        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.LineSkipped).Select(d => $"line {d.LineNumber}: {d.Message}"));
        Assert.Equal(InteropFixtures.Lines(path).Count, events.Count);
    }

    [ReferenceModelFact]
    public void CoreReadsAndWritesBackAFreshCorpusFromTheOriginal()
    {
        using var temp = new TempFolder();
        var path = temp.File("audit.jsonl");
        ModelCorpus.WriteWithModel(ModelCorpus.Corpus, path);

        AssertCoreReadsEveryLine(path);
        AssertCoreWritesBackEveryLine(path);
    }

    [ReferenceModelFact]
    public void TheCommittedCorpusIsWhatTheOriginalWritesToday()
    {
        using var temp = new TempFolder();
        var path = temp.File("audit.jsonl");
        ModelCorpus.WriteWithModel(ModelCorpus.Corpus, path);

        // Time and generated session ids differ from run to run; everything else must not.
        var fresh = File.ReadAllLines(path, Encoding.UTF8).Select(WithoutTimeAndGeneratedSession).ToList();
        var committed = File.ReadAllLines(InteropFixtures.PathOf(ModelCorpus.FixtureOf(ModelCorpus.Corpus)), Encoding.UTF8)
            .Select(WithoutTimeAndGeneratedSession).ToList();

        Assert.True(committed.SequenceEqual(fresh),
            "model_corpus.jsonl is not what the reference model writes today; run tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh.\n" +
            string.Join("\n", committed.Zip(fresh).Where(pair => pair.First != pair.Second).Take(3)
                .Select(pair => $"committed: {pair.First}\nfresh:     {pair.Second}")) +
            $"\n({committed.Count} committed lines, {fresh.Count} fresh)");
    }

    private static readonly Regex Head = new(
        "^\\{\"ts\": \"[^\"]*\", (?<event>\"event\": \"(?:[^\"\\\\]|\\\\.)*\", )\"session_id\": \"(?<session>[^\"]*)\"",
        RegexOptions.CultureInvariant);

    private static readonly Regex GeneratedSession = new(
        "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RegexOptions.CultureInvariant);

    private static string WithoutTimeAndGeneratedSession(string line) =>
        Head.Replace(line, head =>
        {
            var session = head.Groups["session"].Value;
            return $"{{\"ts\": \"\", {head.Groups["event"].Value}\"session_id\": \"{(GeneratedSession.IsMatch(session) ? "" : session)}\"";
        });

    private static void AssertCoreReadsEveryLine(string path)
    {
        var failures = new List<string>();
        var lines = InteropFixtures.Lines(path);
        Assert.NotEmpty(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            var where = $"line {i + 1}";
            if (!AuditLineParser.TryParse(lines[i], out var parsed, out var problem))
            {
                failures.Add($"{where} is refused ({problem}): {Encoding.UTF8.GetString(lines[i])}");
                continue;
            }
            try
            {
                using var original = JsonDocument.Parse(lines[i]);
                EventAssert.Matches(original.RootElement, parsed!, where);
            }
            catch (Xunit.Sdk.XunitException mismatch)
            {
                failures.Add($"{mismatch.Message}\n  in {Encoding.UTF8.GetString(lines[i])}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Count} lines of {path} are not read as written:\n" + string.Join("\n", failures));
    }

    private static void AssertCoreWritesBackEveryLine(string path)
    {
        var failures = new List<string>();
        var lines = InteropFixtures.Lines(path);
        Assert.NotEmpty(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            byte[] original = [.. lines[i], (byte)'\n'];
            if (!AuditLineParser.TryParse(lines[i], out var parsed, out var problem))
            {
                failures.Add($"line {i + 1} is refused ({problem}): {Encoding.UTF8.GetString(original)}");
                continue;
            }
            byte[] written;
            try
            {
                written = AuditLineFormatter.Format(parsed!);
            }
            catch (Exception error)
            {
                failures.Add($"line {i + 1} cannot be written back ({error.GetType().Name}: {error.Message}): {Encoding.UTF8.GetString(original)}");
                continue;
            }
            if (!written.AsSpan().SequenceEqual(original))
                failures.Add($"line {i + 1} comes back different:\n  original: {Encoding.UTF8.GetString(original)}  Core:     {Encoding.UTF8.GetString(written)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Count} lines of {path} are not written back byte for byte:\n" + string.Join("\n", failures));
    }
}

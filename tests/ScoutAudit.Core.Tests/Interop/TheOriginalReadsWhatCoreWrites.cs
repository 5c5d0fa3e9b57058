using System.Text;
using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// What Core writes, the original (its reference model) reads, and both answer the same questions
/// about it alike: queries, last events, accuracy and spend.
/// </summary>
public sealed class TheOriginalReadsWhatCoreWrites
{
    private const string CoreWritten = "core_written.jsonl";
    private const string ModelAnswers = "model_answers_on_core_written.json";

    /// <summary>With SCOUT_WRITE_FIXTURES=1 (regenerate.sh) this writes the fixture instead of comparing with it.</summary>
    [Fact]
    public void CoreWritesTheCommittedBytes()
    {
        using var temp = new TempFolder();
        var path = WriteWithCore(temp, InteropEvents.Fixed());
        var written = File.ReadAllBytes(path);

        if (InteropFixtures.WriteMode)
        {
            File.WriteAllBytes(InteropFixtures.SourcePathOf(CoreWritten), written);
            return;
        }
        var committed = InteropFixtures.PathOf(CoreWritten);
        var firstDifference = File.ReadAllLines(committed, Encoding.UTF8)
            .Zip(File.ReadAllLines(path, Encoding.UTF8), (expected, actual) => (expected, actual))
            .Select((pair, index) => (pair.expected, pair.actual, line: index + 1))
            .FirstOrDefault(pair => pair.expected != pair.actual);
        Assert.True(written.AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
            $"Core no longer writes the bytes of {CoreWritten} ({written.Length} bytes written, {new FileInfo(committed).Length} committed)." +
            (firstDifference.expected is null ? "" : $"\nline {firstDifference.line}\n  committed: {firstDifference.expected}\n  Core:      {firstDifference.actual}") +
            "\nIf the change is intended, run tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh.");
    }

    /// <summary>Core reads the very file the model answered about, so a change of the writer does not show here too.</summary>
    [Fact]
    public void CoreAnswersAsTheOriginalAnsweredAboutWhatCoreWrote()
    {
        using var temp = new TempFolder();
        using var log = new AuditLog(InteropFixtures.CopyTo(temp, CoreWritten));
        using var answers = JsonDocument.Parse(File.ReadAllBytes(InteropFixtures.PathOf(ModelAnswers)));

        var questions = ModelQuestion.All();
        Assert.NotEmpty(questions);
        foreach (var question in questions)
        {
            Assert.True(answers.RootElement.TryGetProperty(question.Name, out var answer),
                $"{ModelAnswers} has no answer to '{question.Name}'; run tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh.");
            question.AssertCoreAgrees(log, answer);
        }
    }

    [ReferenceModelFact]
    public void TheOriginalReadsWhatCoreWritesAndAnswersAsCoreDoes()
    {
        using var temp = new TempFolder();
        var path = WriteWithCore(temp, InteropEvents.Fixed());
        using var log = new AuditLog(path);

        foreach (var question in ModelQuestion.All())
        {
            question.AssertCoreAgrees(log, question.AskModel(path));
        }
    }

    [ReferenceModelFact]
    public void TheCommittedAnswersAreWhatTheOriginalAnswersToday()
    {
        using var answers = JsonDocument.Parse(File.ReadAllBytes(InteropFixtures.PathOf(ModelAnswers)));
        using var temp = new TempFolder();
        var path = InteropFixtures.CopyTo(temp, CoreWritten);

        foreach (var question in ModelQuestion.All())
        {
            Assert.True(PythonJson.Same(answers.RootElement.GetProperty(question.Name), question.AskModel(path)),
                $"The reference model no longer answers '{question.Name}' as {ModelAnswers} says; run tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh.");
        }
    }

    [ReferenceModelFact]
    public void SpendOverTheLastHoursMatchesTheOriginal()
    {
        using var temp = new TempFolder();
        var path = WriteWithCore(temp, InteropEvents.Recent(DateTimeOffset.UtcNow));
        using var log = new AuditLog(path);

        var spends = new List<double>();
        foreach (var hours in new[] { 1, 2, 5 })
        {
            // Both windows start at a UTC hour boundary taken from the clock; if the hour turns
            // between the two calls they look at different windows, so ask again once.
            for (var attempt = 1; ; attempt++)
            {
                var hourBefore = CurrentUtcHour();
                var original = ReferenceModel.Run("spend", path, "--hours", hours.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .GetProperty("spend").GetDouble();
                var core = log.Spend(EventFilter.LastHours(hours, TimeProvider.System)).Single().Cost;
                if (CurrentUtcHour() != hourBefore && attempt == 1) continue;
                Assert.True(CurrentUtcHour() == hourBefore, "The UTC hour changed during both attempts; run the test again.");
                ModelQuestion.AssertCloseSpend(original, core, $"spend over the last {hours} hours");
                spends.Add(original);
                break;
            }
        }
        // The events span 8 hours, so every wider window must hold more spend; otherwise the windows were not tested.
        Assert.True(spends[0] < spends[1] && spends[1] < spends[2], $"The spends for 1, 2 and 5 hours do not grow: {string.Join(", ", spends)}");
    }

    private static string WriteWithCore(TempFolder temp, IEnumerable<LogEvent> events)
    {
        var path = temp.File("audit.jsonl");
        using var log = new AuditLog(path);
        foreach (var e in events) log.Append(e);
        return path;
    }

    private static DateTimeOffset CurrentUtcHour()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
    }
}

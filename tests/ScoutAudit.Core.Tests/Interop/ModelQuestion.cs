using System.Globalization;
using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// A question put to the original's command line (Fixtures/core_written_questions.json) and the
/// same question put to Core, with the check that both answer alike.
/// </summary>
internal sealed record ModelQuestion(string Name, IReadOnlyList<string> Args)
{
    public static IReadOnlyList<ModelQuestion> All()
    {
        using var questions = JsonDocument.Parse(File.ReadAllBytes(InteropFixtures.PathOf("core_written_questions.json")));
        return questions.RootElement.GetProperty("questions").EnumerateArray()
            .Select(q => new ModelQuestion(
                q.GetProperty("name").GetString()!,
                q.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList()))
            .ToList();
    }

    public string Command => Args[0];

    /// <summary>The model's answer about the log at <paramref name="path"/>.</summary>
    public JsonElement AskModel(string path) => ReferenceModel.Run([Command, "--path", path, .. Args.Skip(1)]);

    /// <summary>Asserts that Core, asked the same about <paramref name="log"/>, gives <paramref name="modelAnswer"/>.</summary>
    public void AssertCoreAgrees(AuditLog log, JsonElement modelAnswer)
    {
        var since = Option("--since") is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : (DateTimeOffset?)null;
        var filter = new EventFilter { Since = since, EventTypes = Option("--event") is { } type ? [type] : null };
        switch (Command)
        {
            case "query":
                var events = modelAnswer.GetProperty("events");
                AssertSameEvents(events, log.Query(filter).ToList());
                AssertSameSpend(events, log.Spend(filter).Single());
                break;
            case "last":
                var count = int.Parse(Option("--n") ?? "20", CultureInfo.InvariantCulture);
                AssertSameEvents(modelAnswer.GetProperty("events"), log.Last(count, filter));
                break;
            case "accuracy":
                var accuracy = log.Accuracy(filter);
                Assert.True(modelAnswer.GetProperty("total_nav").GetInt64() == accuracy.TotalNav,
                    $"{Name}: Core counts {accuracy.TotalNav} nav events; the original {modelAnswer.GetProperty("total_nav")}");
                Assert.True(modelAnswer.GetProperty("validation_fail_count").GetInt64() == accuracy.ValidationFailCount,
                    $"{Name}: Core counts {accuracy.ValidationFailCount} validation failures; the original {modelAnswer.GetProperty("validation_fail_count")}");
                // Both round the same double with Python's round(x, 2): the results must be identical.
                Assert.True(modelAnswer.GetProperty("accuracy_pct").GetDouble() == accuracy.AccuracyPct,
                    $"{Name}: Core's accuracy is {PythonFloat.Format(accuracy.AccuracyPct)}; the original's {modelAnswer.GetProperty("accuracy_pct").GetRawText()}");
                break;
            default:
                throw new InvalidOperationException($"{Name}: the question '{Command}' has no Core counterpart here.");
        }
    }

    private string? Option(string name)
    {
        var at = Args.ToList().IndexOf(name);
        return at >= 0 ? Args[at + 1] : null;
    }

    private void AssertSameEvents(JsonElement expected, IReadOnlyList<LogEvent> actual)
    {
        Assert.True(expected.GetArrayLength() == actual.Count,
            $"{Name}: Core finds {actual.Count} events; the original {expected.GetArrayLength()}");
        var i = 0;
        foreach (var original in expected.EnumerateArray())
        {
            EventAssert.Matches(original, actual[i], $"{Name}: event {i}");
            i++;
        }
    }

    /// <summary>
    /// Core's spend over the events the original returned, summed as the original's hourly_spend sums
    /// (<c>sum(e.get("cost", 0) or 0)</c>, in float, in file order).
    /// </summary>
    private void AssertSameSpend(JsonElement events, SpendTotals spend)
    {
        double cost = 0;
        long input = 0, output = 0;
        foreach (var e in events.EnumerateArray())
        {
            cost += e.TryGetProperty(StandardFields.Cost, out var c) ? c.GetDouble() : 0;
            input += e.TryGetProperty(StandardFields.InputTokens, out var i) ? i.GetInt64() : 0;
            output += e.TryGetProperty(StandardFields.OutputTokens, out var o) ? o.GetInt64() : 0;
        }
        Assert.True(events.GetArrayLength() == spend.Events, $"{Name}: Core's spend counts {spend.Events} events; the original returns {events.GetArrayLength()}");
        AssertCloseSpend(cost, spend.Cost, Name);
        Assert.True(input == spend.InputTokens, $"{Name}: Core's spend has {spend.InputTokens} input tokens; the original's events {input}");
        Assert.True(output == spend.OutputTokens, $"{Name}: Core's spend has {spend.OutputTokens} output tokens; the original's events {output}");
    }

    /// <summary>
    /// Core sums costs in decimal, exactly; Python adds floats, which drift in the last bits. The two
    /// agree to a relative 1e-9, far below a cent on any real bill and far above float drift.
    /// </summary>
    public static void AssertCloseSpend(double original, decimal core, string what)
    {
        var coreAsDouble = (double)core;
        var scale = Math.Max(Math.Abs(original), Math.Abs(coreAsDouble));
        Assert.True(Math.Abs(original - coreAsDouble) <= 1e-9 * scale,
            $"{what}: Core's spend is {core.ToString(CultureInfo.InvariantCulture)}; the original's {PythonFloat.Format(original)}");
    }
}

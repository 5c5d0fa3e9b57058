using System.Text.Json;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// The events Core writes for the original to read: deterministic (the same bytes on every run),
/// spread over several sessions, models, event types (every 10th a validation_fail) and days, with
/// unicode, escapes, the costs people log, and every optional field now and then.
/// </summary>
internal static class InteropEvents
{
    public const int Count = 200;

    /// <summary>The first event's time; the others follow every 29 minutes plus a few seconds (about 4 days in all).</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Sessions =
    [
        "0b5d3c2e-8f7a-4d61-9e2b-4a1c7f3e9d10",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479",
        "runbook-nightly-ünï",
    ];

    private static readonly string?[] Models = ["llama-3.1-8b", "gpt-4o-mini", null, "claude-3-haiku", "mistral-7b-ünïcode-🚀"];

    private static readonly double?[] Costs = [0.000003, 0.0125, 0.00042, null, 0.1, 1.5, 0.0, 3e-05, 0.07, 2.5e-06, 0.0033];

    private static readonly string[] Types = ["nav", "nav", "brief", "nav", "cascade", "deep", "nav", "skip", "tldr"];

    /// <summary>The fixed set, in time order.</summary>
    public static IReadOnlyList<LogEvent> Fixed() =>
        Enumerable.Range(0, Count)
            .Select(i => Build(i, Start.AddMinutes(29 * i).AddMilliseconds(i * 7919 % 60000)))
            .ToList();

    /// <summary>Events over the 8 hours before <paramref name="now"/>, every 7 minutes, oldest first.</summary>
    public static IReadOnlyList<LogEvent> Recent(DateTimeOffset now) =>
        Enumerable.Range(0, 8 * 60 / 7 + 1)
            .Reverse()
            .Select(k => Build(k, now.AddMinutes(-7 * k).AddMilliseconds(-(k * 613 % 1000))))
            .ToList();

    private static LogEvent Build(int i, DateTimeOffset at) =>
        new(i % 10 == 3 ? KnownEventTypes.ValidationFail : Types[i % Types.Length], at, Sessions[i % Sessions.Length])
        {
            Cost = Costs[i % Costs.Length],
            Model = Models[i % Models.Length],
            InputTokens = i % 6 == 5 ? null : i * 131 % 5000,
            OutputTokens = i % 6 == 5 ? null : i * 17 % 900,
            Files = i % 5 == 0 ? [$"src/file{i}.cs", $"docs/über-{i}.md", "emoji/😀.txt"] : null,
            Reason = i % 4 == 1 ? $"step {i}: naïve café ☕ “typographic” \"ascii\" quotes, back\\slash, tab\tnewline\n🚀" : null,
            Confidence = i % 3 == 0 ? (i % 7 == 0 ? 87.5 : i % 101) : null,
            DurationMs = i % 2 == 0 ? i * 12.25 : null,
            Config = i % 17 == 0
                ? JsonValues.ObjectFrom(new Dictionary<string, object?>
                {
                    ["temperature"] = 0.2,
                    ["max_tokens"] = 512,
                    ["tags"] = new object?[] { "a", null, true },
                    ["ünï"] = "✓",
                }, StandardFields.Config)
                : null,
            Extras = i % 11 == 0
                ?
                [
                    new KeyValuePair<string, JsonElement>("attempt", JsonValues.From(i % 3, "attempt")),
                    new KeyValuePair<string, JsonElement>("ratio", JsonValues.From(i / 7.0, "ratio")),
                    new KeyValuePair<string, JsonElement>("日本語", JsonValues.From("値", "日本語")),
                ]
                : [],
        };
}

using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Deterministic, realistic events: several models and sessions, about 10% validation_fail,
/// spread evenly over the 30 days up to <see cref="End"/>, about 237 bytes a line as the
/// original's lines are.
/// </summary>
internal sealed class Dataset(int events, DateTimeOffset end)
{
    private static readonly string[] Models = ["llama-3.1-8b", "gpt-4o-mini", "claude-3-haiku", "mistral-7b-instruct", "qwen2.5-coder-7b"];
    private static readonly (string Type, int Weight)[] Types =
        [("nav", 55), ("validation_fail", 10), ("brief", 10), ("cascade", 5), ("tldr", 5), ("budget", 5), ("skip", 5), ("deep", 5)];

    public static readonly TimeSpan Span = TimeSpan.FromDays(30);

    public int Count => events;

    public DateTimeOffset End => end;

    public DateTimeOffset Start => end - Span;

    /// <summary>The events in time order; the same sequence for the same size and end.</summary>
    public IEnumerable<LogEvent> Events()
    {
        var random = new Random(20260213);
        var sessions = Enumerable.Range(0, 200).Select(_ => new Guid(RandomBytes(random)).ToString()).ToArray();
        var step = Span.Ticks / events;
        for (var i = 0; i < events; i++)
        {
            var pick = random.Next(100);
            var type = Types.First(t => (pick -= t.Weight) < 0).Type;
            var input = random.Next(200, 4000);
            var output = random.Next(20, 800);
            yield return new LogEvent(type, Start.AddTicks(step * i), sessions[random.Next(sessions.Length)])
            {
                Cost = Math.Round((input * 0.15 + output * 0.6) / 1_000_000, 8),
                Model = Models[random.Next(Models.Length)],
                InputTokens = input,
                OutputTokens = output,
                Files = [$"src/scout/module_{random.Next(40)}.py"],
                Confidence = random.Next(40, 100),
                DurationMs = random.Next(80, 4000),
            };
        }
    }

    /// <summary>Writes the events to <paramref name="path"/> as lines, without syncing (a page-cache copy).</summary>
    public void WriteTo(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        foreach (var e in Events()) file.Write(AuditLineFormatter.Format(e));
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // a UUID4, like the original's session ids
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return bytes;
    }
}

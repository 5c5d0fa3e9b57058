using System.Text;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Issue 25: parsing a line costs work linear in its size, however many fields it has. One row per
/// field count (1 to 500,000 extra fields, <c>"f123": 0</c> each), beside the plain baseline: the
/// bytes per second of an ordinary line. Linear growth shows as a rate that does not fall with the
/// count; a line over the cap (1,024 extra fields) is walked, not built, so its rate rises.
/// </summary>
internal static class ManyFieldsWorkload
{
    private const string Head = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"0b9d7f4e-1c2a-4e8b-9f3d-5a6b7c8d9e0f\", \"cost\": 3e-06";

    // An ordinary line of the dataset: about 240 bytes, no extra field.
    private const string Plain = Head + ", \"model\": \"llama-3.1-8b\", \"input_t\": 42, \"output_t\": 28, \"files\": [\"src/a.py\"], " +
                                 "\"reason\": \"navigation to the module that defines the parser\", \"confidence\": 87, \"duration_ms\": 812}";

    private const long BytesPerSample = 16_000_000; // each timing parses at least this much, so even one line of 7 MB is timed twice

    public static void ParseAgainstFieldCount(Bench bench)
    {
        var smoke = ReferenceEquals(bench.Sizes, Sizes.Smoke);
        int[] counts = smoke ? [1, 10, 100, 1_000] : [1, 10, 100, 1_000, 10_000, 100_000, 500_000];
        var plain = Encoding.UTF8.GetBytes(Plain);
        var plainRate = Rate(bench, plain);
        double? previousSeconds = null;
        var previousCount = 0;
        foreach (var count in counts)
        {
            var line = LineWithFields(count);
            if (!AuditLineParser.TryParse(line, out var parsed, out var problem)) throw new InvalidOperationException(problem);
            var rate = Rate(bench, line);
            var seconds = line.Length / rate.Median;
            var growth = previousSeconds is { } before ? $"; {seconds / before:F1}x the time of {previousCount:N0} fields for {(double)count / previousCount:F0}x the fields" : "";
            bench.Report.Add(new Row(
                $"Parse a line of {count:N0} extra field{(count == 1 ? "" : "s")} ({line.Length:N0} bytes{(parsed!.OmittedExtraFields > 0 ? ", over the cap: fields walked, not built" : "")})",
                $"{Format(seconds)} a line; {rate.Median / 1e6:F1} MB/s ({rate.Min / 1e6:F1}–{rate.Max / 1e6:F1})",
                $"an ordinary line ({plain.Length} bytes): {plainRate.Median / 1e6:F1} MB/s",
                $"{rate.Median / plainRate.Median:F2}x the plain rate{growth}",
                "linear: >= 0.2x the plain line's bytes/s at every count",
                rate.Median >= 0.2 * plainRate.Median));
            previousSeconds = seconds;
            previousCount = count;
        }
    }

    /// <summary>Bytes per second of parsing <paramref name="line"/> into an event, over the run's rounds.</summary>
    private static Sample Rate(Bench bench, byte[] line)
    {
        var repeats = (int)Math.Max(2, BytesPerSample / line.Length);
        void Parse()
        {
            for (var i = 0; i < repeats; i++) AuditLineParser.TryParse(line, out _, out _);
        }
        Parse(); // steady state first
        var seconds = Sample.Seconds(bench.Sizes.Rounds, Parse);
        return new Sample(seconds.Values.Select(s => (double)line.Length * repeats / s).ToList());
    }

    private static byte[] LineWithFields(int fields)
    {
        var text = new StringBuilder(Head, fields * 16 + 128);
        for (var i = 0; i < fields; i++) text.Append(", \"f").Append(i).Append("\": 0");
        return Encoding.UTF8.GetBytes(text.Append('}').ToString());
    }

    private static string Format(double seconds) =>
        seconds >= 1e-3 ? $"{seconds * 1e3:F2} ms" : $"{seconds * 1e6:F2} µs";
}

using System.Text;
using ScoutAudit.Core;

namespace ScoutAudit.Benchmarks;

/// <summary>
/// Secret redaction (issue 25): <see cref="SecretRedactor.RedactText"/> over 1 MB of text built to make
/// a backtracking pattern rescan from every position (<c>a.a.a…</c>, <c>-eyJ-eyJ…</c>, runs of
/// <c>:</c>, <c>@</c> and <c>=</c>, a base64-ish run, <c>password=x</c> over and over), beside 1 MB of
/// plain config text without secrets: linear redaction keeps them within a small factor of each other.
/// </summary>
internal static class RedactionWorkload
{
    private const string Target = "report MB/s; adversarial text within a small factor of plain text (linear)";
    private const int Size = 1 << 20;

    private const string Plain =
        "model=llama-3.1-8b-instruct temperature=0.2 max_tokens=512 region: eu-west-1 " +
        "The nightly run summarised 42 pull requests and wrote the brief to docs/brief.md; ";

    private static readonly (string Name, string Unit)[] Inputs =
    [
        ("a.a.a…", "a."),
        ("-eyJ-eyJ…", "-eyJ"),
        ("::::…", ":"),
        ("@@@@…", "@"),
        ("====…", "="),
        ("base64-ish run", "QWxhZGRpbjpvcGVuIHNlc2FtZQ+/"),
        ("password=x repeated (a secret every 11 bytes)", "password=x "),
    ];

    public static void Throughput(Bench bench)
    {
        var plain = Repeat(Plain);
        var adversarial = Inputs.Select(input => Repeat(input.Unit)).ToArray();
        SecretRedactor.RedactText(plain); // compiled and warm before the first timing
        var measures = new List<Func<double>> { () => Sample.Time(() => SecretRedactor.RedactText(plain)) };
        measures.AddRange(adversarial.Select(text => (Func<double>)(() => Sample.Time(() => SecretRedactor.RedactText(text)))));
        var samples = Sample.Interleaved(bench.Sizes.Rounds, [.. measures]);

        var plainRate = Rate(samples[0].Median);
        for (var i = 0; i < Inputs.Length; i++)
        {
            var redacted = SecretRedactor.RedactText(adversarial[i]);
            if (redacted == SecretRedactor.Marker) throw new InvalidOperationException($"the match timeout fired on {Inputs[i].Name}");
            var rate = Rate(samples[i + 1].Median);
            bench.Report.Add(new Row(
                $"Redaction throughput, 1 MiB of {Inputs[i].Name}",
                $"{rate:F1} MB/s ({samples[i + 1].Format("s", 4)})",
                $"1 MiB of plain config text: {plainRate:F1} MB/s ({samples[0].Format("s", 4)})",
                $"{rate / plainRate:F2}x the plain rate",
                Target,
                null));
        }
    }

    private static double Rate(double seconds) => Size / 1e6 / seconds;

    private static string Repeat(string unit)
    {
        var text = new StringBuilder(Size + unit.Length);
        while (text.Length < Size) text.Append(unit);
        return text.ToString(0, Size);
    }
}
